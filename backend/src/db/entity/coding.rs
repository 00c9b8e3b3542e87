//! Coding of free text: frames, their codes, and assignments.

/// A coding frame of a round.
pub mod frame {
    use sea_orm::entity::prelude::*;

    /// A coding frame row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "coding_frame")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Survey round.
        pub round_id: i32,
        /// Name researchers gave it.
        pub name: String,
        /// The text items it codes, comma-separated item ids.
        #[sea_orm(column_type = "Text")]
        pub items: String,
        /// Who made it.
        pub created_by: String,
        /// When.
        pub created_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A code of a frame.
pub mod code {
    use sea_orm::entity::prelude::*;

    /// A code row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "coding_code")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// Its frame.
        pub frame_id: i32,
        /// Its number in the frame (1, 2, …): the export's column suffix.
        pub code: i32,
        /// Label.
        pub label: String,
        /// What belongs under it.
        #[sea_orm(column_type = "Text")]
        pub description: String,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A code given to one answer.
pub mod assignment {
    use sea_orm::entity::prelude::*;

    /// An assignment row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "coding_assignment")]
    pub struct Model {
        /// Row id.
        #[sea_orm(primary_key)]
        pub id: i32,
        /// The code.
        pub code_id: i32,
        /// Respondent key (`svar-12`, `import-1-7`).
        pub respondent: String,
        /// The text item answered.
        pub item_id: String,
        /// The marked passage, if only part of the answer.
        #[sea_orm(column_type = "Text", nullable)]
        pub passage: Option<String>,
        /// Who coded it.
        pub assigned_by: String,
        /// When.
        pub assigned_at: DateTimeUtc,
    }

    /// No relations declared.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
