//! Figures in the style of the report: horizontal bars of shares (percent)
//! per category, grouped by service type or size class, as SVG drawn with
//! plotters' SVG backend (text stays text, so the figure is searchable and
//! scales without fonts installed).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::AnalysisError;
use crate::crosstab::Crosstab;

/// Bar colours per group, in the report's muted palette.
const COLOURS: [RGBColor; 6] = [
    RGBColor(0, 92, 120),
    RGBColor(230, 159, 0),
    RGBColor(86, 140, 80),
    RGBColor(150, 80, 120),
    RGBColor(120, 120, 120),
    RGBColor(200, 90, 60),
];

const WIDTH: u32 = 800;
const LABEL_WIDTH: i32 = 300;
const BAR: i32 = 14;
const GAP: i32 = 10;

/// A grouped bar chart of a cross-tab's column percentages (single,
/// multiple and grid kinds). Numeric cross-tabs are drawn as the median per group.
pub fn grouped_bars(table: &Crosstab) -> Result<String, AnalysisError> {
    let numeric = table.kind == crate::crosstab::Kind::Numeric;
    let groups = table.groups.len().max(1) as i32;
    let rows: Vec<(String, Vec<Option<f64>>)> = if numeric {
        vec![(
            "Median".to_owned(),
            table
                .summaries
                .iter()
                .map(|s| s.median.is_finite().then_some(s.median))
                .collect(),
        )]
    } else {
        table
            .categories
            .iter()
            .zip(&table.percents)
            .map(|(c, p)| (c.label.clone(), p.clone()))
            .collect()
    };
    let top = 60;
    let legend = 24 * groups;
    let block = groups * BAR + GAP;
    let height = (top + block * rows.len() as i32 + legend + 40) as u32;
    let max = if numeric {
        rows.iter()
            .flat_map(|(_, v)| v.iter().flatten().copied())
            .fold(1.0_f64, f64::max)
    } else {
        100.0
    };
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let fail = |e: DrawingAreaErrorKind<std::io::Error>| AnalysisError::Io {
            context: "drawing a figure".into(),
            source: std::io::Error::other(e.to_string()),
        };
        area.fill(&WHITE).map_err(fail)?;
        let font = |size: i32| ("sans-serif", size).into_font().color(&BLACK);
        area.draw(&Text::new(title(table), (10, 22), font(16)))
            .map_err(fail)?;
        area.draw(&Text::new(
            table.unit_description,
            (10, 42),
            font(11).color(&RGBColor(90, 90, 90)),
        ))
        .map_err(fail)?;
        let plot_width = WIDTH as i32 - LABEL_WIDTH - 70;
        for (i, (label, values)) in rows.iter().enumerate() {
            let y0 = top + i as i32 * block;
            area.draw(&Text::new(
                shorten(label, 48),
                (LABEL_WIDTH - 8, y0 + groups * BAR / 2),
                font(11).pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(fail)?;
            for (g, value) in values.iter().enumerate() {
                let y = y0 + g as i32 * BAR;
                let colour = COLOURS[g % COLOURS.len()];
                let Some(v) = value else { continue };
                let w = ((v / max) * plot_width as f64).round() as i32;
                area.draw(&Rectangle::new(
                    [(LABEL_WIDTH, y + 1), (LABEL_WIDTH + w.max(1), y + BAR - 1)],
                    colour.filled(),
                ))
                .map_err(fail)?;
                let text = if numeric {
                    crate::format::decimal(*v, 1)
                } else {
                    crate::format::percent(v / 100.0)
                };
                area.draw(&Text::new(
                    text,
                    (LABEL_WIDTH + w + 4, y + BAR / 2),
                    font(10).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(fail)?;
            }
        }
        let ly = top + block * rows.len() as i32 + 10;
        for (g, group) in table.groups.iter().enumerate() {
            let y = ly + g as i32 * 24;
            area.draw(&Rectangle::new(
                [(LABEL_WIDTH, y), (LABEL_WIDTH + 14, y + 14)],
                COLOURS[g % COLOURS.len()].filled(),
            ))
            .map_err(fail)?;
            area.draw(&Text::new(
                format!("{} (n = {})", group.label, group.n),
                (LABEL_WIDTH + 20, y + 7),
                font(11).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(fail)?;
        }
        area.present().map_err(fail)?;
    }
    Ok(svg)
}

fn title(table: &Crosstab) -> String {
    shorten(
        &format!(
            "{} etter {}",
            table.label,
            crate::format::lower_first(&table.by_label)
        ),
        95,
    )
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
