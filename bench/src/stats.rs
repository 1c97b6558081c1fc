//! Small statistics for benchmark samples: medians, ratios of paired samples and the growth
//! exponent of a cost over a size.

use std::time::Duration;

/// The median of some values (the mean of the middle two for an even count); `NaN` when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// The median of some durations, in seconds.
pub fn median_secs(samples: &[Duration]) -> f64 {
    median(
        &samples
            .iter()
            .map(Duration::as_secs_f64)
            .collect::<Vec<_>>(),
    )
}

/// The median of the per-pair ratios `a[i] / b[i]`: robust against a noisy neighbour slowing
/// down one round, because both members of a pair ran back to back.
pub fn median_ratio(a: &[f64], b: &[f64]) -> f64 {
    let ratios: Vec<f64> = a.iter().zip(b).map(|(x, y)| x / y).collect();
    median(&ratios)
}

/// The least-squares slope of `ln(cost)` against `ln(size)`: 1 for linear growth, 2 for
/// quadratic. `NaN` with fewer than two distinct sizes.
pub fn growth_exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    let n = logs.len() as f64;
    if logs.len() < 2 {
        return f64::NAN;
    }
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx == 0.0 { f64::NAN } else { sxy / sxx }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(median_ratio(&[2.0, 4.0, 9.0], &[1.0, 2.0, 3.0]), 2.0);
    }

    #[test]
    fn exponents() {
        let linear: Vec<(f64, f64)> = [100.0, 500.0, 1500.0]
            .iter()
            .map(|&x| (x, 3.0 * x))
            .collect();
        assert!((growth_exponent(&linear) - 1.0).abs() < 1e-9);
        let quadratic: Vec<(f64, f64)> = [10.0, 20.0, 40.0].iter().map(|&x| (x, x * x)).collect();
        assert!((growth_exponent(&quadratic) - 2.0).abs() < 1e-9);
        assert!(growth_exponent(&[(1.0, 1.0)]).is_nan());
    }
}
