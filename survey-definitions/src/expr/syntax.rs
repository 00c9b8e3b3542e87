//! Lexing and parsing of expressions into the evaluator's syntax tree.

use std::fmt;

use super::{CmpOp, ExprError, Func, Node, Reference, Value};

/// Parses a whole expression; anything left over is an error.
pub(super) fn parse(source: &str) -> Result<Node, ExprError> {
    let tokens = lex(source)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        len: source.len(),
    };
    let node = p.expr()?;
    if let Some(t) = p.tokens.get(p.pos) {
        return Err(ExprError {
            offset: t.at,
            message: format!("unexpected {}", t.kind),
        });
    }
    Ok(node)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Ref(String),
    Name(String),
    Op(&'static str),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Num(n) => write!(f, "number {n}"),
            Tok::Str(s) => write!(f, "string \"{s}\""),
            Tok::Ref(r) => write!(f, "reference ${r}"),
            Tok::Name(n) => write!(f, "`{n}`"),
            Tok::Op(o) => write!(f, "`{o}`"),
        }
    }
}

struct Token {
    kind: Tok,
    at: usize,
}

fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let mut i = 0;
    let err = |at: usize, m: &str| ExprError {
        offset: at,
        message: m.to_owned(),
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let take_while = |mut j: usize, f: &dyn Fn(char) -> bool| {
            while j < chars.len() && f(chars[j].1) {
                j += 1;
            }
            j
        };
        let end_of = |j: usize| chars.get(j).map_or(src.len(), |c| c.0);
        if c == '$' {
            let j = take_while(i + 1, &|c| {
                c.is_alphanumeric() || matches!(c, '_' | '.' | ':')
            });
            if j == i + 1 {
                return Err(err(at, "`$` must be followed by an item id"));
            }
            out.push(Token {
                kind: Tok::Ref(src[chars[i + 1].0..end_of(j)].to_owned()),
                at,
            });
            i = j;
        } else if c.is_ascii_digit() {
            let j = take_while(i, &|c| c.is_ascii_digit() || c == '.');
            let text = &src[at..end_of(j)];
            let n = text
                .parse::<f64>()
                .map_err(|_| err(at, "malformed number"))?;
            out.push(Token {
                kind: Tok::Num(n),
                at,
            });
            i = j;
        } else if c.is_alphabetic() || c == '_' {
            let j = take_while(i, &|c| c.is_alphanumeric() || c == '_');
            out.push(Token {
                kind: Tok::Name(src[at..end_of(j)].to_owned()),
                at,
            });
            i = j;
        } else if c == '"' || c == '\'' {
            let j = take_while(i + 1, &|d| d != c);
            if j >= chars.len() {
                return Err(err(at, "unterminated string"));
            }
            out.push(Token {
                kind: Tok::Str(src[chars[i + 1].0.min(src.len())..chars[j].0].to_owned()),
                at,
            });
            i = j + 1;
        } else {
            let two = src[at..].get(..2).unwrap_or("");
            let op = ["==", "!=", "<=", ">="].into_iter().find(|o| *o == two);
            let op = op.or_else(|| {
                ["<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ","]
                    .into_iter()
                    .find(|o| o.starts_with(c))
            });
            let Some(op) = op else {
                return Err(err(at, &format!("unexpected character `{c}`")));
            };
            out.push(Token {
                kind: Tok::Op(op),
                at,
            });
            i += op.len();
        }
    }
    Ok(out)
}

/// Builds the node of a binary arithmetic operator.
type Combine = fn(Box<Node>, Box<Node>) -> Node;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.len, |t| t.at)
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            offset: self.at(),
            message: message.into(),
        })
    }

    fn eat_name(&mut self, name: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(n)) if n == name) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ExprError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            self.fail(format!("expected `{op}`"))
        }
    }

    fn expr(&mut self) -> Result<Node, ExprError> {
        let mut left = self.and()?;
        while self.eat_name("or") {
            left = Node::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ExprError> {
        let mut left = self.not()?;
        while self.eat_name("and") {
            left = Node::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, ExprError> {
        if self.eat_name("not") {
            return Ok(Node::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Node, ExprError> {
        let left = self.sum()?;
        for (text, op) in [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ] {
            if self.eat_op(text) {
                return Ok(Node::Cmp(op, Box::new(left), Box::new(self.sum()?)));
            }
        }
        if self.eat_name("in") {
            if !matches!(self.peek(), Some(Tok::Op("["))) {
                return self.fail("expected a list `[...]` after `in`");
            }
            return Ok(Node::In(Box::new(left), Box::new(self.atom()?)));
        }
        if self.eat_name("has") {
            return match self.peek().cloned() {
                Some(Tok::Num(n)) => {
                    self.pos += 1;
                    Ok(Node::Has(Box::new(left), n))
                }
                _ => self.fail("expected an option code after `has`"),
            };
        }
        Ok(left)
    }

    /// `+ -` over `* /` over atoms, left to right: one loop for both
    /// levels (`tight` is the `*`/`/` level).
    fn sum(&mut self) -> Result<Node, ExprError> {
        self.arith(false)
    }

    fn arith(&mut self, tight: bool) -> Result<Node, ExprError> {
        let operand = |p: &mut Self| if tight { p.atom() } else { p.arith(true) };
        let mut left = operand(self)?;
        let ops: [(&str, Combine); 2] = if tight {
            [("*", Node::Mul), ("/", Node::Div)]
        } else {
            [("+", Node::Add), ("-", Node::Sub)]
        };
        'more: loop {
            for (op, make) in ops {
                if self.eat_op(op) {
                    left = make(Box::new(left), Box::new(operand(self)?));
                    continue 'more;
                }
            }
            return Ok(left);
        }
    }

    fn atom(&mut self) -> Result<Node, ExprError> {
        let at = self.at();
        let Some(tok) = self.peek().cloned() else {
            return self.fail("unexpected end of expression");
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => Ok(Node::Lit(Value::Num(n))),
            Tok::Str(s) => Ok(Node::Lit(Value::Str(s))),
            Tok::Name(n) if n == "true" => Ok(Node::Lit(Value::Bool(true))),
            Tok::Name(n) if n == "false" => Ok(Node::Lit(Value::Bool(false))),
            Tok::Ref(id) => {
                let mut row = None;
                if self.eat_op("[") {
                    match self.peek().cloned() {
                        Some(Tok::Num(n)) if n.fract() == 0.0 => {
                            self.pos += 1;
                            row = Some(n as i64);
                        }
                        _ => return self.fail("expected a row code"),
                    }
                    self.expect_op("]")?;
                }
                Ok(Node::Ref(Reference {
                    id,
                    row,
                    offset: at,
                }))
            }
            Tok::Op("(") => {
                let inner = self.expr()?;
                self.expect_op(")")?;
                Ok(inner)
            }
            Tok::Op("[") => {
                let mut vals = Vec::new();
                if !self.eat_op("]") {
                    loop {
                        match self.peek().cloned() {
                            Some(Tok::Num(n)) => vals.push(Value::Num(n)),
                            Some(Tok::Str(s)) => vals.push(Value::Str(s)),
                            _ => return self.fail("a list holds numbers or strings"),
                        }
                        self.pos += 1;
                        if self.eat_op("]") {
                            break;
                        }
                        self.expect_op(",")?;
                    }
                }
                Ok(Node::List(vals))
            }
            Tok::Name(name) => {
                let Some((func, arity)) = Func::from_name(&name) else {
                    self.pos -= 1;
                    return self.fail(format!("unknown name `{name}`"));
                };
                self.expect_op("(")?;
                let mut args = vec![self.expr()?];
                while self.eat_op(",") {
                    args.push(self.expr()?);
                }
                self.expect_op(")")?;
                if args.len() != arity {
                    return Err(ExprError {
                        offset: at,
                        message: format!("`{name}` takes {arity} argument(s)"),
                    });
                }
                Ok(Node::Call(func, args))
            }
            Tok::Op(o) => {
                self.pos -= 1;
                self.fail(format!("unexpected `{o}`"))
            }
        }
    }
}
