//! The relevance/check expression language: lexer, parser and evaluator.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum | "in" list | "has" number)?
//! sum     := atom (("+"|"-") atom)*
//! atom    := number | string | "true" | "false" | ref | list
//!          | "(" expr ")" | name "(" expr ("," expr)* ")"
//! ref     := "$" item-id ("[" integer "]")?      e.g. $1.16, $1.11[15], $kommune
//! ```
//!
//! Evaluation is three-valued (Kleene): an unanswered or hidden item is
//! `Null`, comparisons with `Null` are `Null`, and `Null` counts as "not
//! shown" for relevance and as "not failed" for checks, so a missing answer
//! never hides a question by accident nor raises a warning.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod syntax;

/// A parsed expression together with its source text.
#[derive(Debug, Clone)]
pub struct Expression {
    source: String,
    node: Node,
    origin: Option<usize>,
}

impl PartialEq for Expression {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Expression {
    /// Parses an expression.
    pub fn parse(source: &str) -> Result<Expression, ExprError> {
        let node = syntax::parse(source)?;
        Ok(Expression {
            source: source.to_owned(),
            node,
            origin: None,
        })
    }

    /// Records where the expression text starts in the definition file, so
    /// diagnostics can point into it.
    pub fn with_origin(mut self, offset: usize) -> Self {
        self.origin = Some(offset);
        self
    }

    /// Byte offset of the expression text in the definition file, if known.
    pub fn origin(&self) -> Option<usize> {
        self.origin
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every item reference with its byte offset in the source.
    pub fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        self.node.collect_refs(&mut out);
        out
    }

    /// Evaluates the expression; `lookup` gives an item's current value.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Value) -> Value {
        self.node.eval(lookup)
    }

    /// Evaluates for relevance: only a definite `true` counts.
    pub fn holds(&self, lookup: &dyn Fn(&str) -> Value) -> bool {
        matches!(self.eval(lookup), Value::Bool(true))
    }

    /// Evaluates for a check: only a definite `false` fails.
    pub fn fails(&self, lookup: &dyn Fn(&str) -> Value) -> bool {
        matches!(self.eval(lookup), Value::Bool(false))
    }

    /// Every literal value in the expression (the linter builds test
    /// answers from them).
    pub fn literals(&self) -> Vec<Value> {
        let mut out = Vec::new();
        self.node.collect_literals(&mut out);
        out
    }

    /// Literal numbers compared with (or tested by `has`/`in` against) a
    /// reference, as `(reference, code, offset)`; the linter checks that
    /// such codes exist.
    pub fn code_comparisons(&self) -> Vec<(String, f64, usize)> {
        let mut out = Vec::new();
        self.node.collect_codes(&mut out);
        out
    }
}

impl Serialize for Expression {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Expression {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Expression::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An item reference inside an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The referenced item id.
    pub id: String,
    /// Grid row, for `$1.11[15]`.
    pub row: Option<i64>,
    /// Byte offset of the `$` in the expression source.
    pub offset: usize,
}

/// A syntax error in an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    /// Byte offset in the expression source.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for ExprError {}

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Unknown: unanswered, hidden or not comparable.
    Null,
    /// A truth value.
    Bool(bool),
    /// A number (also a single-choice code).
    Num(f64),
    /// Text (also a registry code).
    Str(String),
    /// The codes of a multiple-choice answer.
    Set(Vec<i64>),
    /// An age range; each bound may be missing.
    Range(Option<f64>, Option<f64>),
    /// Count-grid rows by code.
    Grid(BTreeMap<i64, f64>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Func {
    Answered,
    Count,
    Sum,
    Lower,
    Upper,
    Coalesce,
}

impl Func {
    fn from_name(name: &str) -> Option<(Func, usize)> {
        Some(match name {
            "answered" => (Func::Answered, 1),
            "count" => (Func::Count, 1),
            "sum" => (Func::Sum, 1),
            "lower" => (Func::Lower, 1),
            "upper" => (Func::Upper, 1),
            "coalesce" => (Func::Coalesce, 2),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Node {
    Lit(Value),
    Ref(Reference),
    List(Vec<Value>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    In(Box<Node>, Box<Node>),
    Has(Box<Node>, f64),
    Add(Box<Node>, Box<Node>),
    Sub(Box<Node>, Box<Node>),
    Mul(Box<Node>, Box<Node>),
    Div(Box<Node>, Box<Node>),
    Call(Func, Vec<Node>),
}

impl Node {
    /// Visits this node and every node below it, parents first.
    fn walk(&self, f: &mut dyn FnMut(&Node)) {
        f(self);
        match self {
            Node::Lit(_) | Node::List(_) | Node::Ref(_) => {}
            Node::Not(a) | Node::Has(a, _) => a.walk(f),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Cmp(_, a, b)
            | Node::In(a, b)
            | Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Node::Call(_, args) => args.iter().for_each(|a| a.walk(f)),
        }
    }

    fn collect_refs(&self, out: &mut Vec<Reference>) {
        self.walk(&mut |n| {
            if let Node::Ref(r) = n {
                out.push(r.clone());
            }
        });
    }

    fn collect_literals(&self, out: &mut Vec<Value>) {
        self.walk(&mut |n| match n {
            Node::Lit(v) => out.push(v.clone()),
            Node::List(vals) => out.extend(vals.iter().cloned()),
            Node::Has(_, code) => out.push(Value::Num(*code)),
            _ => {}
        });
    }

    /// Codes compared directly with an item: `$x == 3`, `$x has 3`, `$x in [3]`.
    fn collect_codes(&self, out: &mut Vec<(String, f64, usize)>) {
        fn direct(n: &Node) -> Option<&Reference> {
            match n {
                Node::Ref(r) if r.row.is_none() => Some(r),
                _ => None,
            }
        }
        self.walk(&mut |n| match n {
            Node::Cmp(CmpOp::Eq | CmpOp::Ne, a, b) => {
                if let (Some(r), Node::Lit(Value::Num(code))) = (direct(a), b.as_ref()) {
                    out.push((r.id.clone(), *code, r.offset));
                }
            }
            Node::Has(a, code) => {
                if let Some(r) = direct(a) {
                    out.push((r.id.clone(), *code, r.offset));
                }
            }
            Node::In(a, list) => {
                if let (Some(r), Node::List(vals)) = (direct(a), list.as_ref()) {
                    for v in vals {
                        if let Value::Num(code) = v {
                            out.push((r.id.clone(), *code, r.offset));
                        }
                    }
                }
            }
            _ => {}
        });
    }

    fn eval(&self, lookup: &dyn Fn(&str) -> Value) -> Value {
        use Value::*;
        match self {
            Node::Lit(v) => v.clone(),
            Node::List(_) => Null,
            Node::Ref(r) => {
                let v = lookup(&r.id);
                match (r.row, v) {
                    (None, v) => v,
                    (Some(row), Grid(g)) => g.get(&row).map_or(Null, |n| Num(*n)),
                    (Some(_), _) => Null,
                }
            }
            Node::Not(a) => match a.eval(lookup) {
                Bool(b) => Bool(!b),
                _ => Null,
            },
            Node::And(a, b) => match (a.eval(lookup), b.eval(lookup)) {
                (Bool(false), _) | (_, Bool(false)) => Bool(false),
                (Bool(true), Bool(true)) => Bool(true),
                _ => Null,
            },
            Node::Or(a, b) => match (a.eval(lookup), b.eval(lookup)) {
                (Bool(true), _) | (_, Bool(true)) => Bool(true),
                (Bool(false), Bool(false)) => Bool(false),
                _ => Null,
            },
            Node::Cmp(op, a, b) => compare(*op, &a.eval(lookup), &b.eval(lookup)),
            Node::In(a, list) => {
                let Node::List(vals) = list.as_ref() else {
                    return Null;
                };
                match a.eval(lookup) {
                    Null => Null,
                    Set(codes) => Bool(codes.iter().any(|c| vals.contains(&Num(*c as f64)))),
                    v => Bool(vals.contains(&v)),
                }
            }
            Node::Has(a, n) => match a.eval(lookup) {
                Set(codes) => Bool(codes.iter().any(|c| *c as f64 == *n)),
                Num(x) => Bool(x == *n),
                _ => Null,
            },
            Node::Add(a, b) => arith(a.eval(lookup), b.eval(lookup), |x, y| x + y),
            Node::Sub(a, b) => arith(a.eval(lookup), b.eval(lookup), |x, y| x - y),
            Node::Mul(a, b) => arith(a.eval(lookup), b.eval(lookup), |x, y| x * y),
            // Division by zero is unknown, not infinite: a check over it
            // neither passes nor fails.
            Node::Div(a, b) => match arith(a.eval(lookup), b.eval(lookup), |x, y| x / y) {
                Value::Num(q) if !q.is_finite() => Value::Null,
                v => v,
            },
            Node::Call(f, args) => {
                let v = args[0].eval(lookup);
                match f {
                    Func::Answered => Bool(v != Null),
                    Func::Count => match v {
                        Null => Num(0.0),
                        Set(c) => Num(c.len() as f64),
                        Grid(g) => Num(g.values().filter(|n| **n > 0.0).count() as f64),
                        _ => Num(1.0),
                    },
                    Func::Sum => match v {
                        Grid(g) => Num(g.values().sum()),
                        Num(x) => Num(x),
                        _ => Null,
                    },
                    Func::Lower => match v {
                        Range(Some(l), _) => Num(l),
                        _ => Null,
                    },
                    Func::Upper => match v {
                        Range(_, Some(u)) => Num(u),
                        _ => Null,
                    },
                    Func::Coalesce => match v {
                        Null => args[1].eval(lookup),
                        v => v,
                    },
                }
            }
        }
    }
}

fn arith(a: Value, b: Value, f: impl Fn(f64, f64) -> f64) -> Value {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Value::Num(f(x, y)),
        _ => Value::Null,
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> Value {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.partial_cmp(y),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    let Some(ord) = ord else { return Value::Null };
    Value::Bool(match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, vals: &[(&str, Value)]) -> Value {
        let e = Expression::parse(src).unwrap();
        e.eval(&|id| {
            vals.iter()
                .find(|(k, _)| *k == id)
                .map_or(Value::Null, |(_, v)| v.clone())
        })
    }

    #[test]
    fn item_ids_with_dots_are_references_not_numbers() {
        let e = Expression::parse("$1.16.1 has 8 and $1.10 > 2.5").unwrap();
        let ids: Vec<_> = e.references().into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["1.16.1", "1.10"]);
    }

    #[test]
    fn kleene_logic_treats_missing_as_unknown() {
        assert_eq!(eval("$a == 1", &[]), Value::Null);
        assert_eq!(eval("$a == 1 and false", &[]), Value::Bool(false));
        assert_eq!(eval("$a == 1 or true", &[]), Value::Bool(true));
        assert_eq!(eval("not ($a == 1)", &[]), Value::Null);
    }

    #[test]
    fn has_in_and_grid_rows() {
        let set = Value::Set(vec![1, 3]);
        assert_eq!(eval("$m has 3", &[("m", set.clone())]), Value::Bool(true));
        assert_eq!(eval("$m has 2", &[("m", set)]), Value::Bool(false));
        assert_eq!(
            eval("$s in [1, 2]", &[("s", Value::Num(2.0))]),
            Value::Bool(true)
        );
        let grid = Value::Grid([(15, 2.0), (16, 0.0)].into_iter().collect());
        assert_eq!(
            eval("$g[15] > 0", &[("g", grid.clone())]),
            Value::Bool(true)
        );
        assert_eq!(
            eval("$g[16] > 0", &[("g", grid.clone())]),
            Value::Bool(false)
        );
        assert_eq!(eval("sum($g) >= 2", &[("g", grid)]), Value::Bool(true));
    }

    #[test]
    fn arithmetic_and_coalesce() {
        let v = [("a", Value::Num(3.0)), ("t", Value::Num(4.0))];
        assert_eq!(eval("$a + coalesce($b, 0) <= $t", &v), Value::Bool(true));
        assert_eq!(eval("$a + $b <= $t", &v), Value::Null);
    }

    #[test]
    fn multiplication_binds_tighter_and_division_by_zero_is_unknown() {
        let v = [
            ("ungdom", Value::Num(12.0)),
            ("oppfolgere", Value::Num(2.0)),
            ("null", Value::Num(0.0)),
        ];
        assert_eq!(eval("$ungdom <= 5 * $oppfolgere", &v), Value::Bool(false));
        assert_eq!(eval("$ungdom <= 6 * $oppfolgere", &v), Value::Bool(true));
        assert_eq!(eval("1 + 2 * 3 == 7", &v), Value::Bool(true));
        assert_eq!(eval("(1 + 2) * 3 == 9", &v), Value::Bool(true));
        assert_eq!(eval("$ungdom / $oppfolgere == 6", &v), Value::Bool(true));
        assert_eq!(
            eval("12 / 4 / 3 == 1", &v),
            Value::Bool(true),
            "left to right"
        );
        assert_eq!(eval("$ungdom / $null <= 5", &v), Value::Null);
        assert!(Expression::parse("$a * ").is_err());
    }

    #[test]
    fn syntax_errors_carry_offsets() {
        let e = Expression::parse("$a == ").unwrap_err();
        assert_eq!(e.offset, 6);
        let e = Expression::parse("$a = 1").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(Expression::parse("frobnicate($a)").is_err());
        assert!(Expression::parse("count($a, $b)").is_err());
    }
}
