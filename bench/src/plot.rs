//! The scale plot in `BENCHMARKS-scale.svg`: generation time, peak memory and clean `cargo
//! check` time against the number of operations, one panel each, for every measured series.
//! The SVG depends on the data alone (no dates, no random ids), so an unchanged run writes an
//! unchanged file.

use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// One measured spec size. A `None` is a quantity that was not measured for this point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Operations in the spec.
    pub operations: f64,
    /// CPU seconds to generate the crate (the generator as a child process).
    pub generation: Option<f64>,
    /// Peak resident memory of that generation, in bytes.
    pub peak: Option<f64>,
    /// CPU seconds of a clean `cargo check` of the crate alone (dependencies already checked).
    pub check: Option<f64>,
}

/// Points of one generator on one kind of spec.
#[derive(Debug, Clone)]
pub struct Series {
    /// The legend, such as `ours: synthetic specs`.
    pub name: String,
    /// The points, in any order.
    pub points: Vec<Point>,
    /// How its points are drawn.
    pub style: Style,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Dots joined by a line: a sweep over sizes.
    Line,
    /// Triangles: our crate from one real spec.
    Triangle,
    /// Crosses: another generator's crate from one real spec (drawn over a triangle at the
    /// same place, both stay visible).
    Cross,
}

/// A panel: its title, the unit of its y axis and how to read a point's value.
struct Panel {
    title: &'static str,
    unit: &'static str,
    value: fn(&Point) -> Option<f64>,
}

const PANELS: [Panel; 3] = [
    Panel {
        title: "Generation time",
        unit: "CPU seconds",
        value: |p| p.generation,
    },
    Panel {
        title: "Peak memory of generation",
        unit: "MiB",
        value: |p| p.peak.map(|b| b / (1024.0 * 1024.0)),
    },
    Panel {
        title: "Clean `cargo check` of the crate alone",
        unit: "CPU seconds",
        value: |p| p.check,
    },
];

const COLORS: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
];

/// Axis labels with as many decimals as the axis' range needs.
fn label(max: f64) -> impl Fn(&f64) -> String {
    move |v: &f64| {
        if max >= 20.0 {
            format!("{v:.0}")
        } else if max >= 2.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        }
    }
}

/// The SVG text of the three panels side by side.
pub fn svg(series: &[Series]) -> Result<String> {
    let error = |e: &dyn std::fmt::Display| anyhow!("drawing the scale plot: {e}");
    let max_ops = series
        .iter()
        .flat_map(|s| &s.points)
        .map(|p| p.operations)
        .fold(0.0, f64::max);
    if max_ops <= 0.0 {
        return Err(anyhow!("drawing the scale plot: no points"));
    }
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (1500, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(&e))?;
        for (area, panel) in root.split_evenly((1, 3)).iter().zip(&PANELS) {
            let points = |s: &Series| -> Vec<(f64, f64)> {
                let mut pts: Vec<(f64, f64)> = s
                    .points
                    .iter()
                    .filter_map(|p| Some((p.operations, (panel.value)(p)?)))
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                pts
            };
            let max_y = series
                .iter()
                .flat_map(points)
                .map(|p| p.1)
                .fold(0.0, f64::max);
            let max_y = if max_y > 0.0 { max_y * 1.15 } else { 1.0 };
            let mut chart = ChartBuilder::on(area)
                .caption(panel.title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(60)
                .build_cartesian_2d(0.0..max_ops * 1.05, 0.0..max_y)
                .map_err(|e| error(&e))?;
            chart
                .configure_mesh()
                .x_desc("operations in the spec")
                .y_desc(panel.unit)
                .x_label_formatter(&label(max_ops))
                .y_label_formatter(&label(max_y))
                .draw()
                .map_err(|e| error(&e))?;
            let mut any = false;
            for (i, s) in series.iter().enumerate() {
                let pts = points(s);
                if pts.is_empty() {
                    continue;
                }
                any = true;
                let color = COLORS[i % COLORS.len()];
                if s.style == Style::Line {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
                        .map_err(|e| error(&e))?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                        });
                    chart
                        .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
                        .map_err(|e| error(&e))?;
                } else if s.style == Style::Triangle {
                    chart
                        .draw_series(
                            pts.iter()
                                .map(|&p| TriangleMarker::new(p, 7, color.filled())),
                        )
                        .map_err(|e| error(&e))?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| TriangleMarker::new((x + 10, y), 6, color.filled()));
                } else {
                    chart
                        .draw_series(pts.iter().map(|&p| Cross::new(p, 6, color.stroke_width(2))))
                        .map_err(|e| error(&e))?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| Cross::new((x + 10, y), 5, color.stroke_width(2)));
                }
            }
            if any {
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperLeft)
                    .background_style(WHITE.mix(0.85))
                    .border_style(BLACK)
                    .draw()
                    .map_err(|e| error(&e))?;
            }
        }
        root.present().map_err(|e| error(&e))?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(operations: f64, check: Option<f64>) -> Point {
        Point {
            operations,
            generation: Some(operations / 1000.0),
            peak: Some(operations * 100_000.0),
            check,
        }
    }

    #[test]
    fn draws_every_series_in_every_panel_it_has_data_for() {
        let series = [
            Series {
                name: "ours: synthetic specs".to_owned(),
                points: vec![point(1000.0, Some(30.0)), point(100.0, Some(3.0))],
                style: Style::Line,
            },
            Series {
                name: "progenitor: Oxide".to_owned(),
                points: vec![point(315.0, None)],
                style: Style::Cross,
            },
        ];
        let svg = svg(&series).expect("draws");
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        for title in [
            "Generation time",
            "Peak memory of generation",
            "cargo check",
        ] {
            assert!(svg.contains(title), "no panel `{title}`");
        }
        // The line series is in all three panels' legends; the progenitor point has no check
        // time, so its legend is in two.
        assert_eq!(svg.matches("ours: synthetic specs").count(), 3);
        assert_eq!(svg.matches("progenitor: Oxide").count(), 2);
        assert!(svg.matches("<polyline").count() >= 3);
        // The same data draw the same file.
        assert_eq!(svg, super::svg(&series).expect("draws again"));
    }

    #[test]
    fn refuses_an_empty_plot() {
        assert!(svg(&[]).is_err());
    }
}
