//! sea-orm entities of the respondent journey (the schema is in `migrations/`).

pub mod answer;
pub mod answer_log;
pub mod cleaning_decision;
pub mod coding;
pub mod district;
pub mod import_batch;
pub mod imported_response;
pub mod invitation;
pub mod municipality;
pub mod personal_answer;
pub mod response;
