//! Authorization in one place: may this actor do this to this thing?
//!
//! Every page and API handler asks [`decide`]; nothing else grants access. The rules follow
//! DESIGN.md §8: role-based, with ownership (a member sees their own records, an advisor the
//! people of their office).

use crate::Role;

/// Who is asking: the roles of a signed-in account, with the offices of its advisor role.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub account_id: i64,
    pub person_id: i64,
    pub roles: Vec<Role>,
    /// Offices the advisor role is attached to.
    pub advisor_offices: Vec<i64>,
    /// Whether the account accepted the usage-contract version in force.
    pub accepted_usage_contract: bool,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| r.is_staff())
    }

    fn any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    List,
    View,
    Create,
    Update,
}

/// The thing acted upon. Records carry what ownership rules need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Member features: activities, quotes, votes… (the usage contract must be accepted).
    MemberArea,
    /// The staff back-office as a whole (its dashboard and navigation).
    BackOffice,
    LegalEntities,
    Offices,
    /// The directory of persons (listing, creating).
    Persons,
    /// One person, with the office they are attached to.
    Person {
        id: i64,
        office_id: Option<i64>,
    },
    /// User accounts and their roles.
    Accounts,
    /// One account, owned by a person.
    Account {
        person_id: i64,
    },
    AuditLog,
    /// The e-mail outbox ("Outgoing mail").
    Outbox,
    UsageContracts,
    /// The API tokens of one account.
    ApiTokens {
        account_id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    Refused,
    /// Allowed once the member accepts the usage contract in force.
    UsageContractRequired,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allowed
    }
}

fn allow(cond: bool) -> Decision {
    if cond {
        Decision::Allowed
    } else {
        Decision::Refused
    }
}

pub fn decide(actor: &Actor, action: Action, target: Target) -> Decision {
    use Action::*;
    use Role::*;
    match target {
        Target::MemberArea => {
            if !actor.has(Member) {
                Decision::Refused
            } else if !actor.accepted_usage_contract {
                Decision::UsageContractRequired
            } else {
                Decision::Allowed
            }
        }
        Target::BackOffice => allow(actor.is_staff()),
        Target::LegalEntities => match action {
            List | View => allow(actor.any(&[Administrator, Board, Accountant])),
            Create | Update => allow(actor.has(Administrator)),
        },
        Target::Offices => match action {
            List | View => allow(actor.is_staff()),
            Create | Update => allow(actor.has(Administrator)),
        },
        Target::Persons => match action {
            List | View => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
            Create => allow(actor.any(&[Administrator, Advisor])),
            Update => allow(actor.has(Administrator)),
        },
        Target::Person { id, office_id } => {
            let own = id == actor.person_id;
            let in_my_office = office_id.is_some_and(|o| actor.advisor_offices.contains(&o));
            match action {
                List | View => {
                    allow(own || in_my_office || actor.any(&[Administrator, Accountant, Board]))
                }
                // A member corrects their own address or IBAN; an advisor the people of
                // their office; nobody else but an administrator.
                Create | Update => allow(own || in_my_office || actor.has(Administrator)),
            }
        }
        Target::Accounts => allow(actor.has(Administrator)),
        Target::Account { person_id } => match action {
            View => allow(person_id == actor.person_id || actor.has(Administrator)),
            _ => allow(actor.has(Administrator)),
        },
        Target::AuditLog => match action {
            List | View => allow(actor.any(&[Administrator, Board])),
            Create | Update => Decision::Refused, // the audit log is append-only, by the system
        },
        Target::Outbox => match action {
            List | View => allow(actor.has(Administrator)),
            Create | Update => Decision::Refused,
        },
        Target::UsageContracts => match action {
            List | View => allow(actor.any(&[Administrator, Board])),
            Create | Update => allow(actor.any(&[Administrator, Board])),
        },
        Target::ApiTokens { account_id } => {
            allow(account_id == actor.account_id || (action != Create && actor.has(Administrator)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            account_id: 1,
            person_id: 10,
            roles: roles.to_vec(),
            advisor_offices: if roles.contains(&Role::Advisor) {
                vec![3]
            } else {
                vec![]
            },
            accepted_usage_contract: true,
        }
    }

    const STAFF_PAGES: [Target; 6] = [
        Target::LegalEntities,
        Target::Offices,
        Target::Persons,
        Target::Accounts,
        Target::AuditLog,
        Target::Outbox,
    ];

    fn may_list(roles: &[Role]) -> Vec<bool> {
        let a = actor(roles);
        STAFF_PAGES
            .iter()
            .map(|t| decide(&a, Action::List, *t).is_allowed())
            .collect()
    }

    #[test]
    fn a_member_sees_no_staff_page() {
        assert_eq!(may_list(&[Role::Member]), [false; 6]);
        assert!(!decide(&actor(&[Role::Member]), Action::View, Target::BackOffice).is_allowed());
    }

    #[test]
    fn an_advisor_sees_offices_and_persons_only() {
        assert_eq!(
            may_list(&[Role::Advisor]),
            [false, true, true, false, false, false]
        );
    }

    #[test]
    fn an_accountant_sees_entities_offices_and_persons() {
        assert_eq!(
            may_list(&[Role::Accountant]),
            [true, true, true, false, false, false]
        );
    }

    #[test]
    fn the_board_sees_the_audit_log_but_not_accounts_or_mail() {
        assert_eq!(
            may_list(&[Role::Board]),
            [true, true, true, false, true, false]
        );
    }

    #[test]
    fn an_administrator_sees_every_staff_page() {
        assert_eq!(may_list(&[Role::Administrator]), [true; 6]);
    }

    #[test]
    fn only_an_administrator_creates_entities_offices_and_accounts() {
        for roles in [
            &[Role::Advisor][..],
            &[Role::Accountant],
            &[Role::Board],
            &[Role::Member],
        ] {
            let a = actor(roles);
            for t in [Target::LegalEntities, Target::Offices, Target::Accounts] {
                assert_eq!(
                    decide(&a, Action::Create, t),
                    Decision::Refused,
                    "{roles:?} {t:?}"
                );
            }
        }
        let admin = actor(&[Role::Administrator]);
        for t in [Target::LegalEntities, Target::Offices, Target::Accounts] {
            assert!(decide(&admin, Action::Create, t).is_allowed());
        }
    }

    #[test]
    fn an_advisor_edits_the_people_of_their_office_only() {
        let a = actor(&[Role::Advisor]);
        let mine = Target::Person {
            id: 99,
            office_id: Some(3),
        };
        let other = Target::Person {
            id: 98,
            office_id: Some(4),
        };
        assert!(decide(&a, Action::Update, mine).is_allowed());
        assert_eq!(decide(&a, Action::Update, other), Decision::Refused);
        assert_eq!(decide(&a, Action::View, other), Decision::Refused);
    }

    #[test]
    fn a_member_sees_and_corrects_only_their_own_record() {
        let a = actor(&[Role::Member]);
        assert!(
            decide(
                &a,
                Action::Update,
                Target::Person {
                    id: 10,
                    office_id: None
                }
            )
            .is_allowed()
        );
        assert_eq!(
            decide(
                &a,
                Action::View,
                Target::Person {
                    id: 11,
                    office_id: None
                }
            ),
            Decision::Refused
        );
    }

    #[test]
    fn member_features_wait_for_the_usage_contract() {
        let mut a = actor(&[Role::Member]);
        a.accepted_usage_contract = false;
        assert_eq!(
            decide(&a, Action::View, Target::MemberArea),
            Decision::UsageContractRequired
        );
        a.accepted_usage_contract = true;
        assert!(decide(&a, Action::View, Target::MemberArea).is_allowed());
        assert_eq!(
            decide(
                &actor(&[Role::Accountant]),
                Action::View,
                Target::MemberArea
            ),
            Decision::Refused
        );
    }

    #[test]
    fn nobody_writes_the_audit_log_or_the_outbox_by_hand() {
        let admin = actor(&[Role::Administrator]);
        assert_eq!(
            decide(&admin, Action::Update, Target::AuditLog),
            Decision::Refused
        );
        assert_eq!(
            decide(&admin, Action::Create, Target::Outbox),
            Decision::Refused
        );
    }

    #[test]
    fn api_tokens_are_created_only_for_oneself() {
        let admin = actor(&[Role::Administrator]);
        assert!(decide(&admin, Action::Create, Target::ApiTokens { account_id: 1 }).is_allowed());
        assert_eq!(
            decide(&admin, Action::Create, Target::ApiTokens { account_id: 2 }),
            Decision::Refused
        );
        assert!(decide(&admin, Action::Update, Target::ApiTokens { account_id: 2 }).is_allowed());
        let member = actor(&[Role::Member]);
        assert_eq!(
            decide(&member, Action::Update, Target::ApiTokens { account_id: 2 }),
            Decision::Refused
        );
    }
}
