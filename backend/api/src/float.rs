//! JSON has no NaN: serde_json writes a NaN `f64` as `null`. Statistics
//! with no data (the mean of no values, a test on one group) are NaN, so
//! those fields read `null` back as NaN instead of failing.

use serde::{Deserialize, Deserializer};

/// Reads a number, or `null` as NaN.
pub(crate) fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
