//! Figures in the style of the report: horizontal bars of shares (percent)
//! per category, grouped by service type or size class, as SVG drawn with
//! plotters' SVG backend (text stays text, so the figure is searchable and
//! scales without fonts installed), and as PNG rendered from that SVG by
//! resvg with a shipped font (PNG pastes into Word).

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

/// Sizes for a figure 800 px wide that is pasted 16 cm wide into Word:
/// text of 15–17 px comes out at about 9 pt.
const WIDTH: u32 = 800;
const BAR: i32 = 17;
const GAP: i32 = 12;
const LABEL_FONT: i32 = 15;
const LINE: i32 = 17;
/// Characters of a category label per line (up to three lines).
const LABEL_CHARS: usize = 34;

/// A horizontal bar chart: rows (categories) of bars, one per group.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Title lines at the top.
    pub title: Vec<String>,
    /// A grey line under the title (unit, sample).
    pub subtitle: String,
    /// Category label and one value per group (`None`: no bar).
    pub rows: Vec<(String, Vec<Option<f64>>)>,
    /// Legend entries, one per group.
    pub legend: Vec<String>,
    /// Values are percentages (0–100, written «60 %»); else numbers.
    pub percent: bool,
    /// Lines under the legend (the tests, as the report writes them).
    pub footer: Vec<String>,
}

/// A grouped bar chart of a cross-tab's column percentages (single,
/// multiple and grid kinds). Numeric cross-tabs are drawn as the median per group.
pub fn grouped_bars(table: &Crosstab) -> Result<String, AnalysisError> {
    let numeric = table.kind == crate::crosstab::Kind::Numeric;
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
    svg(&BarChart {
        title: vec![title(table)],
        subtitle: table.unit_description.to_owned(),
        rows,
        legend: table
            .groups
            .iter()
            .map(|g| format!("{} (n = {})", g.label, g.n))
            .collect(),
        percent: !numeric,
        // A hidden (suppressed) cell has no bar: the figure says so.
        footer: table
            .warnings
            .iter()
            .filter(|w| w.contains("skjult"))
            .map(|w| format!("{w}; de har ingen stolpe."))
            .collect(),
    })
}

/// A category label for a chart: the questionnaire's closing full stop
/// and «(spesifiser)» left out, wrapped to at most three lines.
fn label_lines(label: &str) -> Vec<String> {
    let mut text = label.trim().trim_end_matches('.').to_owned();
    for suffix in [" (spesifiser)", " – spesifiser", " - spesifiser"] {
        if let Some(stripped) = text.strip_suffix(suffix) {
            text = stripped.trim_end_matches('.').to_owned();
        }
    }
    let mut lines = wrap(&text, LABEL_CHARS);
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2] = shorten(&format!("{} …", lines[2]), LABEL_CHARS);
    }
    lines
}

/// Draws a bar chart as SVG. A chart with one group has no legend (its n
/// is in the subtitle).
pub fn svg(chart: &BarChart) -> Result<String, AnalysisError> {
    let groups = chart.legend.len().max(1) as i32;
    let rows = &chart.rows;
    let labels: Vec<Vec<String>> = rows.iter().map(|(l, _)| label_lines(l)).collect();
    // The label column is as wide as its longest line needs (about 8 px a character).
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| l.chars().count() as i32 * 8 + 16)
        .max()
        .unwrap_or(100)
        .clamp(100, 320);
    let top = 30 + 22 * chart.title.len() as i32;
    let heights: Vec<i32> = labels
        .iter()
        .map(|l| (groups * BAR).max(l.len() as i32 * LINE) + GAP)
        .collect();
    let body: i32 = heights.iter().sum();
    let legend = if chart.legend.len() > 1 {
        26 * groups
    } else {
        0
    };
    let height = (top + body + legend + 24 + 20 * chart.footer.len() as i32) as u32;
    let max = if chart.percent {
        100.0
    } else {
        rows.iter()
            .flat_map(|(_, v)| v.iter().flatten().copied())
            .fold(1.0_f64, f64::max)
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
        for (i, line) in chart.title.iter().enumerate() {
            area.draw(&Text::new(
                line.as_str(),
                (10, 24 + 22 * i as i32),
                font(17),
            ))
            .map_err(fail)?;
        }
        area.draw(&Text::new(
            chart.subtitle.as_str(),
            (10, top - 12),
            font(13).color(&RGBColor(80, 80, 80)),
        ))
        .map_err(fail)?;
        let plot_width = WIDTH as i32 - label_width - 70;
        let mut y0 = top + 4;
        for ((lines, (_, values)), h) in labels.iter().zip(rows).zip(&heights) {
            let block = h - GAP;
            let first = y0 + block / 2 - (lines.len() as i32 - 1) * LINE / 2;
            for (k, line) in lines.iter().enumerate() {
                area.draw(&Text::new(
                    line.as_str(),
                    (label_width - 8, first + k as i32 * LINE),
                    font(LABEL_FONT).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(fail)?;
            }
            let bars_top = y0 + (block - groups * BAR) / 2;
            for (g, value) in values.iter().enumerate() {
                let y = bars_top + g as i32 * BAR;
                let colour = COLOURS[g % COLOURS.len()];
                let Some(v) = value else { continue };
                let w = ((v / max) * plot_width as f64).round() as i32;
                area.draw(&Rectangle::new(
                    [(label_width, y + 1), (label_width + w.max(1), y + BAR - 1)],
                    colour.filled(),
                ))
                .map_err(fail)?;
                let text = if chart.percent {
                    crate::format::percent(v / 100.0)
                } else {
                    crate::format::decimal(*v, 1)
                };
                area.draw(&Text::new(
                    text,
                    (label_width + w + 5, y + BAR / 2),
                    font(14).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(fail)?;
            }
            y0 += h;
        }
        let ly = y0 + 8;
        if chart.legend.len() > 1 {
            for (g, entry) in chart.legend.iter().enumerate() {
                let y = ly + g as i32 * 26;
                area.draw(&Rectangle::new(
                    [(label_width, y), (label_width + 16, y + 16)],
                    COLOURS[g % COLOURS.len()].filled(),
                ))
                .map_err(fail)?;
                area.draw(&Text::new(
                    entry.as_str(),
                    (label_width + 24, y + 8),
                    font(LABEL_FONT).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(fail)?;
            }
        }
        let fy = ly + legend + 10;
        for (i, line) in chart.footer.iter().enumerate() {
            area.draw(&Text::new(
                line.as_str(),
                (10, fy + 20 * i as i32),
                font(13).color(&RGBColor(60, 60, 60)),
            ))
            .map_err(fail)?;
        }
        area.present().map_err(fail)?;
    }
    Ok(svg)
}

/// The font PNG figures are drawn with, shipped in the binary so a server
/// without fonts draws the same figure (DejaVu Sans, Bitstream Vera
/// licence: `analysis/fonts/DejaVuSans-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Renders an SVG figure as PNG at twice its size (sharp when pasted into
/// Word), with resvg and the shipped font.
pub fn png(svg: &str) -> Result<Vec<u8>, AnalysisError> {
    use resvg::{tiny_skia, usvg};
    let fail = |what: String| AnalysisError::Io {
        context: "drawing a PNG figure".into(),
        source: std::io::Error::other(what),
    };
    // The font database is built once per process.
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(FONT.to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
        std::sync::Arc::new(fonts)
    });
    let options = usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| fail(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(2.0)
        .ok_or_else(|| fail("empty figure".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| fail("figure too large".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}

/// Splits text into lines of at most `width` characters at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line");
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
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

#[cfg(test)]
mod tests {
    use crate::crosstab::{Category, Crosstab, Group, Kind};

    #[test]
    fn a_figure_says_which_cells_are_hidden() {
        let table = Crosstab {
            item: "x".into(),
            label: "Arenaer".into(),
            kind: Kind::Multiple,
            by: "size-class".into(),
            by_label: "Kommunestørrelse".into(),
            unit: "respondent".into(),
            unit_description: "Enhet: respondenter".into(),
            sample: "analysable".into(),
            sample_description: String::new(),
            registry_year: 2024,
            n: 12,
            groups: vec![Group {
                key: "1".into(),
                label: "Små".into(),
                n: 12,
                unanswered: 0,
                not_asked: 0,
            }],
            categories: vec![Category {
                code: 1,
                label: "Skole".into(),
            }],
            counts: vec![vec![None]],
            percents: vec![vec![None]],
            summaries: Vec::new(),
            tests: Vec::new(),
            warnings: vec!["1 celle(r) med færre enn 5 er skjult".into()],
        };
        let svg = super::grouped_bars(&table).unwrap();
        assert!(svg.contains("er skjult; de har ingen stolpe."), "{svg}");
    }
}
