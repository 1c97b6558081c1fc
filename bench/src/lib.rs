//! Reusable pieces of the benchmarks: the synthetic spec generator and the statistics.

pub mod stats;
pub mod synth;

pub use synth::synthetic_spec;
