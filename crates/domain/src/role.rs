use serde::{Deserialize, Serialize};

/// A role held by a user account. A person can hold several; an advisor's role is attached
/// to an office (the office id is kept next to the role, not in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Advisor,
    Accountant,
    Board,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Member,
        Role::Advisor,
        Role::Accountant,
        Role::Board,
        Role::Administrator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Advisor => "advisor",
            Role::Accountant => "accountant",
            Role::Board => "board",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Staff roles see the back-office; a member alone does not.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Member)
    }
}
