//! Reusable pieces of the benchmarks: the synthetic spec generator, the statistics and the
//! scale plot.

pub mod plot;
pub mod stats;
pub mod synth;

pub use synth::synthetic_spec;
