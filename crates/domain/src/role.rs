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
    /// The legal service: triages, answers and closes the members' legal-help requests (C16).
    Legal,
    /// The participation staff (C13): the school of cooperation's programme, the labs, the
    /// moderation of recommendation cycles, the ethics committee's secretariat, advocacy.
    Participation,
    /// The facilities staff (C14): sites, spaces, lettings to partners, everyone's bookings.
    Facilities,
    /// The prevention adviser and the diversity officer (C15): the incident and
    /// work-accident register, risk sheets, prevention actions, the diversity plan.
    Prevention,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Member,
        Role::Advisor,
        Role::Accountant,
        Role::Board,
        Role::Administrator,
        Role::Legal,
        Role::Participation,
        Role::Facilities,
        Role::Prevention,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Advisor => "advisor",
            Role::Accountant => "accountant",
            Role::Board => "board",
            Role::Administrator => "administrator",
            Role::Legal => "legal",
            Role::Participation => "participation",
            Role::Facilities => "facilities",
            Role::Prevention => "prevention",
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

/// A role held by an account, with the office an advisor is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    pub role: Role,
    pub office_id: Option<i64>,
}

/// Parses the roles ticked in a form. The advisor role needs an office; the other roles
/// carry none. At least one role is required.
pub fn parse_grants(
    codes: &[String],
    advisor_office: Option<i64>,
) -> Result<Vec<RoleGrant>, crate::validate::FieldErrors> {
    let mut errors = crate::validate::FieldErrors::new();
    let mut grants: Vec<RoleGrant> = Vec::new();
    for code in codes {
        match Role::parse(code) {
            Some(role) if !grants.iter().any(|g| g.role == role) => {
                let office_id = (role == Role::Advisor).then_some(advisor_office).flatten();
                if role == Role::Advisor && office_id.is_none() {
                    errors.add("advisor_office_id", "advisor-needs-office");
                }
                grants.push(RoleGrant { role, office_id });
            }
            Some(_) => {}
            None => errors.add("roles", "required"),
        }
    }
    if grants.is_empty() {
        errors.add("roles", "required");
    }
    grants.sort_by_key(|g| g.role);
    errors.into_result(|| grants)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_person_can_hold_several_roles() {
        let grants = parse_grants(&codes(&["board", "member", "member"]), None);
        let roles: Vec<Role> = grants.unwrap_or_default().iter().map(|g| g.role).collect();
        assert_eq!(roles, [Role::Member, Role::Board]);
    }

    #[test]
    fn an_advisor_is_attached_to_an_office() {
        let err = parse_grants(&codes(&["advisor"]), None)
            .err()
            .unwrap_or_default();
        assert_eq!(err.get("advisor_office_id"), Some("advisor-needs-office"));
        let ok = parse_grants(&codes(&["advisor", "member"]), Some(3)).unwrap_or_default();
        assert_eq!(
            ok[1],
            RoleGrant {
                role: Role::Advisor,
                office_id: Some(3)
            }
        );
        assert_eq!(ok[0].office_id, None);
    }

    #[test]
    fn no_role_or_an_unknown_role_is_refused() {
        assert!(parse_grants(&[], None).is_err());
        assert!(parse_grants(&codes(&["king"]), None).is_err());
    }
}
