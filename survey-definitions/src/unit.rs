//! What a personal link fixes: the registry items (county, municipality,
//! district) take the invitation's unit, so browser and server agree on
//! which answers are given and may not be changed.

use std::collections::BTreeMap;

use crate::model::{ItemKind, RegistryKind, SurveyDefinition};

/// The answers a link for `municipality` (and `district`) fixes, by item
/// id: every registry item takes the county (its first two digits), the
/// municipality or the district; a district item is left open when the
/// link names none.
pub fn fixed_answers(
    def: &SurveyDefinition,
    municipality: &str,
    district: Option<&str>,
) -> BTreeMap<String, String> {
    let mut fixed = BTreeMap::new();
    for item in &def.items {
        if let ItemKind::Registry { registry, .. } = &item.kind {
            let value = match registry {
                RegistryKind::County => municipality.get(..2).map(str::to_owned),
                RegistryKind::Municipality => Some(municipality.to_owned()),
                RegistryKind::District => district.map(str::to_owned),
            };
            if let Some(v) = value {
                fixed.insert(item.id.clone(), v);
            }
        }
    }
    fixed
}
