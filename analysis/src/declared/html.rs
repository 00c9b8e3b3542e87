//! The report as one HTML page: a table of contents, then every entry in
//! the report's order with a heading, its figure (or table), the values,
//! the tests as the report writes them, the published 2025 values beside
//! this round's, and the reading chosen where the report is ambiguous
//! (folded away: it is a note for analysts).

use std::fmt::Write as _;

use super::ReportFile;
use super::run::Figure;
use super::write::{Index, anchor, shown, tests_text};
use crate::format;
use crate::report::escape;

/// The page.
pub(super) fn page(file: &ReportFile, figures: &[Figure], index: &Index) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}}\ntable{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}\nfigure{{margin:1rem 0}}img{{max-width:100%}}section{{border-top:1px solid #ddd;margin-top:2rem}}details{{color:#555;font-size:.9rem}}nav ol{{columns:2}}\n</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p>Registerår {y}. Data: {d}.</p>\n<nav aria-label=\"Innhold\"><h2>Innhold</h2><ol>\n",
        t = escape(&file.title),
        y = index.registry_year,
        d = index
            .data_files
            .iter()
            .chain(std::iter::once(&"tabeller.xlsx".to_owned()))
            .map(|f| format!("<a href=\"{0}\">{0}</a>", escape(f)))
            .collect::<Vec<_>>()
            .join(", "),
    );
    for f in figures {
        let _ = writeln!(
            h,
            "<li><a href=\"#{}\">{}</a></li>",
            anchor(f),
            escape(&f.name)
        );
    }
    h.push_str("</ol></nav>\n");
    for (f, entry) in figures.iter().zip(&index.figures) {
        let _ = writeln!(
            h,
            "<section id=\"{}\">\n<h2>{}</h2>",
            anchor(f),
            escape(&f.name)
        );
        match entry.files.iter().find(|f| f.ends_with(".svg")) {
            Some(svg) => {
                let t = f.table.as_ref();
                let alt = format!(
                    "Stolpediagram med {} kategorier{}",
                    t.map_or(0, |t| t.categories.len()),
                    t.filter(|t| t.groups.len() > 1)
                        .map(|t| format!(" i {} grupper", t.groups.len()))
                        .unwrap_or_default()
                );
                let _ = writeln!(
                    h,
                    "<figure><img src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>",
                    escape(svg),
                    escape(&alt),
                    escape(&entry.caption)
                );
            }
            None => {
                let _ = writeln!(h, "<p><strong>{}</strong></p>", escape(&entry.caption));
            }
        }
        match &f.table {
            None => {
                h.push_str("<p><strong>Ikke kodet ennå.</strong> Fritekstsvarene må kodes før tabellen kan lages.</p>\n");
            }
            Some(t) => {
                h.push_str("<table><tr><th scope=\"col\">Kategori</th>");
                for g in &t.groups {
                    let _ = write!(
                        h,
                        "<th scope=\"col\">{} (n = {})</th>",
                        escape(&g.label),
                        g.n
                    );
                }
                h.push_str("</tr>\n");
                if t.kind == crate::crosstab::Kind::Numeric {
                    for (pick, (label, _)) in
                        format::summary_rows(&Default::default()).iter().enumerate()
                    {
                        let _ = write!(h, "<tr><td>{label}</td>");
                        for s in &t.summaries {
                            let v = format::summary_rows(s)[pick].1;
                            let text = if v.is_finite() {
                                format::decimal(v, usize::from(v.fract() != 0.0))
                            } else {
                                "–".into()
                            };
                            let _ = write!(h, "<td>{text}</td>");
                        }
                        h.push_str("</tr>\n");
                    }
                }
                for (r, c) in t.categories.iter().enumerate() {
                    let _ = write!(h, "<tr><td>{}</td>", escape(&c.label));
                    for g in 0..t.groups.len() {
                        let _ = write!(h, "<td>{}</td>", escape(&shown(f, t, r, g)));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
                for line in tests_text(t) {
                    let _ = writeln!(h, "<p>{}</p>", escape(&line));
                }
            }
        }
        if !f.comparison.is_empty() {
            h.push_str("<table><tr><th scope=\"col\">Kategori – gruppe</th><th scope=\"col\">Publisert 2025</th><th scope=\"col\">Nå</th></tr>\n");
            let unit = if f.show == super::Show::Percent {
                " %"
            } else {
                ""
            };
            for c in &f.comparison {
                let _ = writeln!(
                    h,
                    "<tr><td>{} – {}</td><td>{}{unit}</td><td>{}</td></tr>",
                    escape(&c.category),
                    escape(&c.group),
                    format::decimal(c.published, 0),
                    c.now
                        .map_or("–".into(), |v| format!("{}{unit}", format::decimal(v, 0)))
                );
            }
            h.push_str("</table>\n");
        }
        if let Some(note) = &f.note {
            let _ = writeln!(
                h,
                "<details><summary>Metodenotat (for analytikere, engelsk)</summary><p>{}</p></details>",
                escape(note)
            );
        }
        h.push_str("</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}
