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
    /// An advisor's decision on a record: validate, suspend, close, set a rate.
    Decide,
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
    /// A message of the outbox carrying a secret (a password-reset or invitation link).
    ConfidentialMail,
    UsageContracts,
    /// The API tokens of one account.
    ApiTokens {
        account_id: i64,
    },
    /// Activities as a whole: the staff list, proposing a new one.
    Activities,
    /// One activity: its office, and whether the actor holds it.
    Activity {
        office_id: i64,
        held_by_actor: bool,
    },
    /// The shared client directory.
    Clients,
    /// One client, and whether the actor created it.
    Client {
        created_by_actor: bool,
    },
    /// Treasury: recording payments, bank statements, payouts.
    Treasury,
    /// The recovery pipeline of every invoice in recovery (dunning.md §7 item 7).
    RecoveryPipeline,
    /// The history and recovery case of one invoice, with its activity's office and whether
    /// the actor holds that activity. `View`: read the history; `Update`: drive the recovery
    /// (open a case, record a stage or a follow-up, write off); `Create`: the member's answer
    /// to the consultation (object, or not); `Decide`: go on or stop after an objection.
    InvoiceRecovery {
        office_id: i64,
        held_by_actor: bool,
    },
    /// Expense claims as a whole: the staff list of every claim the actor may decide or pay.
    Expenses,
    /// One expense claim (C7), with its activity's office, whether the actor holds that
    /// activity and whether the actor filed the claim. `Create`: file a claim on the activity
    /// (its holders); `View`: read it; `Update`: withdraw it (its claimant); `Decide`: approve
    /// or refuse it (an advisor of the office).
    ExpenseClaim {
        office_id: i64,
        held_by_actor: bool,
        filed_by_actor: bool,
    },
    /// The receipt of an expense claim: personal data, shown to the claimant, the advisors of
    /// the activity's office and the accountants only.
    ExpenseReceipt {
        office_id: i64,
        filed_by_actor: bool,
    },
    /// Legal help (C16) as a whole. `Create`: a member files a request (once the usage
    /// contract is accepted); `List`: the legal service's queue (the legal staff only).
    LegalHelp,
    /// One legal-help request, with whether the actor filed it. Professional secrecy
    /// (Criminal Code art. 458): only the member who filed it and the legal staff see it,
    /// its messages and its files — never administrators, advisors or the board. `View`:
    /// read it; `Create`: add a message (and files) to the thread; `Update`: reopen it (its
    /// member); `Decide`: triage, answer, close, and read and write the internal notes (the
    /// legal staff, never on a request they filed themselves).
    LegalRequest {
        filed_by_actor: bool,
    },
    /// Governance (C11, C12): statutes, the share register, general assemblies, the board,
    /// the allocation of results, the accreditation checks and the special report. `List` |
    /// `View`: the board, administrators and accountants; `Create` | `Update` | `Decide`: the
    /// board and administrators.
    Governance,
    /// 0 % member loans as a whole (C8): `List` | `View` the staff queue and the portfolio
    /// (administrators, advisors, accountants, the board); `Create`: apply (a member).
    Loans,
    /// One loan, with its activity's office and the actor's part in it. `View`: read it;
    /// `Create`: the holder's own acts (an early repayment from the activity's budget);
    /// `Update`: the treasury's acts (disburse, record a transfer, reschedule, write off);
    /// `Decide`: the committee's decision (board or administrator, four eyes).
    Loan {
        office_id: i64,
        held_by_actor: bool,
        applied_by_actor: bool,
        opinion_by_actor: bool,
    },
    /// The advisor's opinion on one application: an advisor of the activity's office (or
    /// an administrator), never the applicant.
    LoanOpinion {
        office_id: i64,
        applied_by_actor: bool,
    },
    /// The training catalogue's back-office (C9): every training, the validation queue, the
    /// training sessions for members and staff. `List` | `View`: staff; `Create` | `Update` |
    /// `Decide`: advisors and administrators.
    Trainings,
    /// One training of the catalogue, and whether the actor gives it. `Create`: a member
    /// describes a training; `View`: its trainer and staff; `Update`: its trainer (texts,
    /// submission, the art. 44 checklist, its leads and their quotes) or an administrator;
    /// `Decide`: publish, refuse, validate the exemption (an advisor or an administrator who
    /// is not the trainer).
    Training {
        given_by_actor: bool,
    },
    /// The guide (C10) as a whole: `List` | `View` its pages (anyone, even without signing
    /// in); `Create` | `Update` | `Decide` articles, revisions and categories (its editors:
    /// administrators and advisors).
    Guide,
    /// One guide article: a draft is read by its editors only; a published members-only
    /// article by signed-in members and staff; a published public article by anyone (an
    /// anonymous visitor is an [`Actor`] without roles).
    GuideArticle {
        published: bool,
        members_only: bool,
    },
    /// Contribution transparency (issue 10): the cooperative's spending, its categories and
    /// the yearly figures. `List` | `View`: the staff's view of any year, drafts included;
    /// `Create` | `Update`: record spending and keep the category mapping (accountants,
    /// administrators); `Decide`: publish a year's figures (the board, administrators). A
    /// member's own split is read under [`Target::Activity`]; a published year is public.
    Transparency,
    /// Cooperative life (C13) as a whole: the school of cooperation, the labs, the
    /// recommendation cycles, the ethics committee, advocacy and permanent education.
    /// `List` | `View`: signed-in members (usage contract accepted) and staff; `Create`: one's
    /// own participation (register for a workshop, join a lab, write or support a
    /// recommendation, refer a subject to the ethics committee); `Update`: the programme and
    /// the records (participation staff, administrators); `Decide`: moderation and
    /// consolidation, the follow-up of recommendations, publication (participation staff,
    /// administrators, the board).
    CooperativeLife,
    /// One lab, and whether the actor coordinates it. `Update`: its coordinators record
    /// meetings, notes and outputs, as do the participation staff and administrators; the
    /// other actions as [`Target::CooperativeLife`].
    Lab {
        coordinated_by_actor: bool,
    },
    /// Places (C14): `List` | `View` the sites, spaces and their calendars (signed-in members
    /// and staff); `Create`: book a space for oneself; `Update` | `Decide`: sites, spaces,
    /// lettings to partners and anyone's booking (facilities staff, administrators).
    Places,
    /// Prevention and diversity (C15). The incident register holds health data: `List` |
    /// `View` | `Update` | `Decide`: the prevention staff and administrators; `Create`: any
    /// staff member reports an incident.
    Prevention,
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
            Create | Update | Decide => allow(actor.has(Administrator)),
        },
        Target::Offices => match action {
            List | View => allow(actor.is_staff()),
            Create | Update | Decide => allow(actor.has(Administrator)),
        },
        Target::Persons => match action {
            List | View => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
            Create => allow(actor.any(&[Administrator, Advisor])),
            Update | Decide => allow(actor.has(Administrator)),
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
                Decide => allow(actor.has(Administrator)),
            }
        }
        Target::Accounts => allow(actor.has(Administrator)),
        Target::Account { person_id } => match action {
            View => allow(person_id == actor.person_id || actor.has(Administrator)),
            _ => allow(actor.has(Administrator)),
        },
        Target::AuditLog => match action {
            List | View => allow(actor.any(&[Administrator, Board])),
            Create | Update | Decide => Decision::Refused, // append-only, written by the system
        },
        // Accountants follow what was sent to clients (invoices, reminders); a message
        // carrying a password link stays with the administrators.
        Target::Outbox => match action {
            List | View => allow(actor.any(&[Administrator, Accountant])),
            Create | Update | Decide => Decision::Refused,
        },
        Target::ConfidentialMail => match action {
            List | View => allow(actor.has(Administrator)),
            Create | Update | Decide => Decision::Refused,
        },
        Target::UsageContracts => match action {
            List | View => allow(actor.any(&[Administrator, Board])),
            Create | Update | Decide => allow(actor.any(&[Administrator, Board])),
        },
        Target::ApiTokens { account_id } => {
            allow(account_id == actor.account_id || (action != Create && actor.has(Administrator)))
        }
        Target::Activities => match action {
            // A member proposes an activity (once the usage contract is accepted).
            Create => decide(actor, View, Target::MemberArea),
            _ => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
        },
        Target::Activity {
            office_id,
            held_by_actor,
        } => {
            let advisor_here = actor.advisor_offices.contains(&office_id);
            let member_area = decide(actor, View, Target::MemberArea);
            let holder = held_by_actor && member_area.is_allowed();
            let staff_may = advisor_here || actor.has(Administrator);
            // A holder who has not accepted the new usage contract is asked to, not refused.
            if held_by_actor && member_area == Decision::UsageContractRequired && !staff_may {
                return Decision::UsageContractRequired;
            }
            match action {
                List | View => {
                    allow(holder || advisor_here || actor.any(&[Administrator, Accountant, Board]))
                }
                Create | Update => allow(holder || advisor_here || actor.has(Administrator)),
                // Validating, suspending, closing and setting the rate are the advisor's.
                Decide => allow(advisor_here || actor.has(Administrator)),
            }
        }
        Target::Treasury => allow(actor.any(&[Administrator, Accountant])),
        Target::RecoveryPipeline => match action {
            List | View => allow(actor.any(&[Administrator, Accountant, Board])),
            Create | Update | Decide => allow(actor.any(&[Administrator, Accountant])),
        },
        Target::InvoiceRecovery {
            office_id,
            held_by_actor,
        } => {
            let holder = held_by_actor && decide(actor, View, Target::MemberArea).is_allowed();
            let advisor_here = actor.advisor_offices.contains(&office_id);
            let treasury = actor.any(&[Administrator, Accountant]);
            match action {
                // The member and the accountant both see the history (dunning.md §7 item 6);
                // the advisor follows the unpaid invoices of their office.
                List | View => allow(holder || advisor_here || treasury || actor.has(Board)),
                // The member is consulted but does not chase the client personally: only the
                // treasury drives the recovery (dunning.md §7 item 7).
                Update | Decide => allow(treasury),
                // Only the member holding the activity answers the consultation.
                Create => allow(holder),
            }
        }
        Target::Expenses => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
        Target::Loans => match action {
            Create => decide(actor, View, Target::MemberArea),
            _ => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
        },
        Target::Loan {
            office_id,
            held_by_actor,
            applied_by_actor,
            opinion_by_actor,
        } => {
            let member_area = decide(actor, View, Target::MemberArea).is_allowed();
            let own = (held_by_actor || applied_by_actor) && member_area;
            let advisor_here = actor.advisor_offices.contains(&office_id);
            match action {
                List | View => {
                    allow(own || advisor_here || actor.any(&[Administrator, Accountant, Board]))
                }
                Create => allow(held_by_actor && member_area),
                Update => allow(actor.any(&[Administrator, Accountant])),
                // Four eyes (FINERACT-1977): the committee member who decides neither
                // applied for the loan nor gave the advisor's opinion on it.
                Decide => allow(
                    actor.any(&[Board, Administrator]) && !applied_by_actor && !opinion_by_actor,
                ),
            }
        }
        Target::LoanOpinion {
            office_id,
            applied_by_actor,
        } => allow(
            action == Decide
                && (actor.advisor_offices.contains(&office_id) || actor.has(Administrator))
                && !applied_by_actor,
        ),
        Target::Governance => match action {
            List | View => allow(actor.any(&[Administrator, Board, Accountant])),
            Create | Update | Decide => allow(actor.any(&[Administrator, Board])),
        },
        Target::ExpenseClaim {
            office_id,
            held_by_actor,
            filed_by_actor,
        } => {
            let member_area = decide(actor, View, Target::MemberArea);
            let holder = held_by_actor && member_area.is_allowed();
            let claimant = filed_by_actor && member_area.is_allowed();
            let advisor_here = actor.advisor_offices.contains(&office_id);
            if (held_by_actor || filed_by_actor)
                && member_area == Decision::UsageContractRequired
                && !advisor_here
            {
                return Decision::UsageContractRequired;
            }
            match action {
                List | View => allow(
                    holder
                        || claimant
                        || advisor_here
                        || actor.any(&[Administrator, Accountant, Board]),
                ),
                // A claim spends the activity's budget: only its holders file one.
                Create => allow(holder),
                // Withdrawing is the claimant's own decision.
                Update => allow(claimant),
                // Approving spends the budget: the advisor of the office decides, never the
                // claimant (an advisor holding an activity does not approve their own claim).
                Decide => allow((advisor_here || actor.has(Administrator)) && !filed_by_actor),
            }
        }
        Target::LegalHelp => match action {
            Create => decide(actor, View, Target::MemberArea),
            List | View | Update | Decide => allow(actor.has(Legal)),
        },
        Target::LegalRequest { filed_by_actor } => {
            let member_area = decide(actor, View, Target::MemberArea);
            let own = filed_by_actor && member_area.is_allowed();
            let legal = actor.has(Legal);
            if filed_by_actor && member_area == Decision::UsageContractRequired && !legal {
                return Decision::UsageContractRequired;
            }
            match action {
                List | View | Create => allow(own || legal),
                Update => allow(own),
                // Nobody handles their own request: the legal staff are independent of it.
                Decide => allow(legal && !filed_by_actor),
            }
        }
        Target::ExpenseReceipt {
            office_id,
            filed_by_actor,
        } => {
            let claimant = filed_by_actor && decide(actor, View, Target::MemberArea).is_allowed();
            let advisor_here = actor.advisor_offices.contains(&office_id);
            match action {
                List | View => allow(claimant || advisor_here || actor.has(Accountant)),
                Create | Update | Decide => Decision::Refused,
            }
        }
        Target::CooperativeLife => {
            let open = if actor.is_staff() {
                Decision::Allowed
            } else {
                decide(actor, View, Target::MemberArea)
            };
            match action {
                List | View | Create => open,
                Update => allow(actor.any(&[Participation, Administrator])),
                Decide => allow(actor.any(&[Participation, Administrator, Board])),
            }
        }
        Target::Lab {
            coordinated_by_actor,
        } => match action {
            Update => {
                let coordinator = coordinated_by_actor
                    && decide(actor, View, Target::CooperativeLife).is_allowed();
                allow(coordinator || actor.any(&[Participation, Administrator]))
            }
            List | View | Create | Decide => decide(actor, action, Target::CooperativeLife),
        },
        Target::Places => match action {
            List | View | Create => {
                if actor.is_staff() {
                    Decision::Allowed
                } else {
                    decide(actor, View, Target::MemberArea)
                }
            }
            Update | Decide => allow(actor.any(&[Facilities, Administrator])),
        },
        Target::Prevention => match action {
            Create => allow(actor.is_staff()),
            List | View | Update | Decide => allow(actor.any(&[Prevention, Administrator])),
        },
        Target::Transparency => match action {
            List | View => allow(actor.is_staff()),
            Create | Update => allow(actor.any(&[Administrator, Accountant])),
            Decide => allow(actor.any(&[Administrator, Board])),
        },
        Target::Guide => match action {
            List | View => Decision::Allowed,
            Create | Update | Decide => allow(actor.any(&[Administrator, Advisor])),
        },
        Target::GuideArticle {
            published,
            members_only,
        } => {
            let editor = actor.any(&[Administrator, Advisor]);
            match action {
                List | View => {
                    // Members read the guide before accepting a new usage contract: it is
                    // where they learn what it says.
                    let signed_in = actor.has(Member) || actor.is_staff();
                    allow(editor || (published && (!members_only || signed_in)))
                }
                Create | Update | Decide => allow(editor),
            }
        }
        Target::Trainings => match action {
            List | View => allow(actor.any(&[Administrator, Advisor, Accountant, Board])),
            Create | Update | Decide => allow(actor.any(&[Administrator, Advisor])),
        },
        Target::Training { given_by_actor } => {
            let member_area = decide(actor, View, Target::MemberArea);
            let trainer = given_by_actor && member_area.is_allowed();
            let staff = actor.any(&[Administrator, Advisor]);
            if given_by_actor && member_area == Decision::UsageContractRequired && !staff {
                return Decision::UsageContractRequired;
            }
            match action {
                List | View => allow(trainer || actor.is_staff()),
                // A member describes their own trainings.
                Create => member_area,
                Update => allow(trainer || actor.has(Administrator)),
                // Validation is a second pair of eyes: never the trainer's own.
                Decide => allow(staff && !given_by_actor),
            }
        }
        Target::Clients => {
            let member = decide(actor, View, Target::MemberArea).is_allowed();
            match action {
                List | View | Create => allow(member || actor.is_staff()),
                Update | Decide => allow(actor.any(&[Administrator, Advisor])),
            }
        }
        Target::Client { created_by_actor } => {
            let member = decide(actor, View, Target::MemberArea).is_allowed();
            match action {
                List | View | Create => allow(member || actor.is_staff()),
                Update => allow(created_by_actor || actor.any(&[Administrator, Advisor])),
                Decide => allow(actor.any(&[Administrator, Advisor])),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accountants_keep_the_spending_and_the_board_publishes_the_transparency_figures() {
        let t = Target::Transparency;
        let accountant = actor(&[Role::Accountant]);
        let board = actor(&[Role::Board]);
        let advisor = actor(&[Role::Advisor]);
        let member = actor(&[Role::Member]);
        assert!(decide(&accountant, Action::Create, t).is_allowed());
        assert!(decide(&accountant, Action::Update, t).is_allowed());
        assert!(!decide(&accountant, Action::Decide, t).is_allowed());
        assert!(decide(&board, Action::Decide, t).is_allowed());
        assert!(!decide(&board, Action::Create, t).is_allowed());
        assert!(decide(&advisor, Action::View, t).is_allowed());
        assert!(!decide(&advisor, Action::Update, t).is_allowed());
        for action in [Action::List, Action::View, Action::Create, Action::Decide] {
            assert!(!decide(&member, action, t).is_allowed());
        }
    }

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
    fn an_accountant_sees_entities_offices_persons_and_the_outgoing_mail() {
        assert_eq!(
            may_list(&[Role::Accountant]),
            [true, true, true, false, false, true]
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
    fn accountants_read_the_outbox_but_not_the_password_links() {
        let accountant = actor(&[Role::Accountant]);
        assert!(decide(&accountant, Action::List, Target::Outbox).is_allowed());
        assert!(decide(&accountant, Action::View, Target::Outbox).is_allowed());
        assert!(!decide(&accountant, Action::View, Target::ConfidentialMail).is_allowed());
        let admin = actor(&[Role::Administrator]);
        assert!(decide(&admin, Action::View, Target::ConfidentialMail).is_allowed());
        for role in [Role::Member, Role::Advisor, Role::Board] {
            assert!(
                !decide(&actor(&[role]), Action::List, Target::Outbox).is_allowed(),
                "{role:?}"
            );
        }
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
    fn a_member_sees_the_activities_they_hold_and_only_advisors_decide() {
        let member = actor(&[Role::Member]);
        let mine = Target::Activity {
            office_id: 3,
            held_by_actor: true,
        };
        let theirs = Target::Activity {
            office_id: 3,
            held_by_actor: false,
        };
        assert!(decide(&member, Action::View, mine).is_allowed());
        assert!(decide(&member, Action::Update, mine).is_allowed());
        assert_eq!(decide(&member, Action::Decide, mine), Decision::Refused);
        assert_eq!(decide(&member, Action::View, theirs), Decision::Refused);
        assert!(decide(&member, Action::Create, Target::Activities).is_allowed());
        assert_eq!(
            decide(&member, Action::List, Target::Activities),
            Decision::Refused
        );

        let advisor = actor(&[Role::Advisor]);
        assert!(decide(&advisor, Action::Decide, theirs).is_allowed());
        let elsewhere = Target::Activity {
            office_id: 4,
            held_by_actor: false,
        };
        assert_eq!(
            decide(&advisor, Action::Decide, elsewhere),
            Decision::Refused
        );
        assert_eq!(decide(&advisor, Action::View, elsewhere), Decision::Refused);
        assert!(decide(&actor(&[Role::Accountant]), Action::View, elsewhere).is_allowed());
        assert_eq!(
            decide(&actor(&[Role::Accountant]), Action::Decide, elsewhere),
            Decision::Refused
        );
    }

    #[test]
    fn a_member_without_the_usage_contract_cannot_work_with_activities_or_clients() {
        let mut member = actor(&[Role::Member]);
        member.accepted_usage_contract = false;
        let mine = Target::Activity {
            office_id: 3,
            held_by_actor: true,
        };
        assert_eq!(
            decide(&member, Action::View, mine),
            Decision::UsageContractRequired
        );
        let theirs = Target::Activity {
            office_id: 3,
            held_by_actor: false,
        };
        assert_eq!(decide(&member, Action::View, theirs), Decision::Refused);
        assert_eq!(
            decide(&member, Action::Create, Target::Activities),
            Decision::UsageContractRequired
        );
        assert_eq!(
            decide(&member, Action::Create, Target::Clients),
            Decision::Refused
        );
    }

    #[test]
    fn the_client_directory_is_shared_but_edited_by_its_creator_or_staff() {
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::Create, Target::Clients).is_allowed());
        assert!(
            decide(
                &member,
                Action::Update,
                Target::Client {
                    created_by_actor: true
                }
            )
            .is_allowed()
        );
        assert_eq!(
            decide(
                &member,
                Action::Update,
                Target::Client {
                    created_by_actor: false
                }
            ),
            Decision::Refused
        );
        let advisor = actor(&[Role::Advisor]);
        assert!(
            decide(
                &advisor,
                Action::Update,
                Target::Client {
                    created_by_actor: false
                }
            )
            .is_allowed()
        );
    }

    #[test]
    fn the_treasury_drives_recovery_and_the_holder_reads_and_objects() {
        let mine = Target::InvoiceRecovery {
            office_id: 3,
            held_by_actor: true,
        };
        let theirs = Target::InvoiceRecovery {
            office_id: 3,
            held_by_actor: false,
        };
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::View, mine).is_allowed());
        assert!(decide(&member, Action::Create, mine).is_allowed());
        assert_eq!(decide(&member, Action::Update, mine), Decision::Refused);
        assert_eq!(decide(&member, Action::Decide, mine), Decision::Refused);
        assert_eq!(decide(&member, Action::View, theirs), Decision::Refused);
        assert_eq!(decide(&member, Action::Create, theirs), Decision::Refused);
        assert_eq!(
            decide(&member, Action::List, Target::RecoveryPipeline),
            Decision::Refused
        );
        let mut no_contract = actor(&[Role::Member]);
        no_contract.accepted_usage_contract = false;
        assert_eq!(
            decide(&no_contract, Action::Create, mine),
            Decision::Refused
        );

        for roles in [&[Role::Accountant][..], &[Role::Administrator]] {
            let a = actor(roles);
            for action in [Action::View, Action::Update, Action::Decide] {
                assert!(
                    decide(&a, action, theirs).is_allowed(),
                    "{roles:?} {action:?}"
                );
            }
            // Staff do not answer the consultation in the member's place.
            assert_eq!(decide(&a, Action::Create, theirs), Decision::Refused);
            assert!(decide(&a, Action::List, Target::RecoveryPipeline).is_allowed());
            assert!(decide(&a, Action::Update, Target::RecoveryPipeline).is_allowed());
        }

        let advisor = actor(&[Role::Advisor]);
        assert!(decide(&advisor, Action::View, theirs).is_allowed());
        assert_eq!(decide(&advisor, Action::Update, theirs), Decision::Refused);
        let elsewhere = Target::InvoiceRecovery {
            office_id: 4,
            held_by_actor: false,
        };
        assert_eq!(decide(&advisor, Action::View, elsewhere), Decision::Refused);
        assert_eq!(
            decide(&advisor, Action::List, Target::RecoveryPipeline),
            Decision::Refused
        );

        let board = actor(&[Role::Board]);
        assert!(decide(&board, Action::View, elsewhere).is_allowed());
        assert!(decide(&board, Action::List, Target::RecoveryPipeline).is_allowed());
        assert_eq!(decide(&board, Action::Update, elsewhere), Decision::Refused);
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

    #[test]
    fn a_holder_files_an_advisor_of_the_office_decides_and_only_the_claimant_withdraws() {
        let claim = |held, filed| Target::ExpenseClaim {
            office_id: 3,
            held_by_actor: held,
            filed_by_actor: filed,
        };
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::Create, claim(true, false)).is_allowed());
        assert!(decide(&member, Action::View, claim(true, false)).is_allowed());
        assert_eq!(
            decide(&member, Action::Create, claim(false, false)),
            Decision::Refused
        );
        assert_eq!(
            decide(&member, Action::View, claim(false, false)),
            Decision::Refused
        );
        // A co-holder sees the claim but does not withdraw it; the claimant does.
        assert_eq!(
            decide(&member, Action::Update, claim(true, false)),
            Decision::Refused
        );
        assert!(decide(&member, Action::Update, claim(true, true)).is_allowed());
        assert_eq!(
            decide(&member, Action::Decide, claim(true, true)),
            Decision::Refused
        );

        let advisor = actor(&[Role::Advisor]);
        assert!(decide(&advisor, Action::Decide, claim(false, false)).is_allowed());
        let elsewhere = Target::ExpenseClaim {
            office_id: 4,
            held_by_actor: false,
            filed_by_actor: false,
        };
        assert_eq!(
            decide(&advisor, Action::Decide, elsewhere),
            Decision::Refused
        );
        assert_eq!(decide(&advisor, Action::View, elsewhere), Decision::Refused);
        // An advisor who also holds an activity does not approve their own claim.
        let both = actor(&[Role::Advisor, Role::Member]);
        assert_eq!(
            decide(&both, Action::Decide, claim(true, true)),
            Decision::Refused
        );

        let accountant = actor(&[Role::Accountant]);
        assert!(decide(&accountant, Action::View, elsewhere).is_allowed());
        assert_eq!(
            decide(&accountant, Action::Decide, elsewhere),
            Decision::Refused
        );
        assert!(decide(&accountant, Action::List, Target::Expenses).is_allowed());
        assert_eq!(
            decide(&member, Action::List, Target::Expenses),
            Decision::Refused
        );

        let mut unsigned = actor(&[Role::Member]);
        unsigned.accepted_usage_contract = false;
        assert_eq!(
            decide(&unsigned, Action::Create, claim(true, false)),
            Decision::UsageContractRequired
        );
    }

    #[test]
    fn a_trainer_edits_their_training_and_staff_other_than_the_trainer_publish_it() {
        let mine = Target::Training {
            given_by_actor: true,
        };
        let theirs = Target::Training {
            given_by_actor: false,
        };
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::Create, mine).is_allowed());
        assert!(decide(&member, Action::Update, mine).is_allowed());
        assert_eq!(decide(&member, Action::Decide, mine), Decision::Refused);
        assert_eq!(decide(&member, Action::View, theirs), Decision::Refused);
        assert_eq!(decide(&member, Action::Update, theirs), Decision::Refused);
        assert_eq!(
            decide(&member, Action::List, Target::Trainings),
            Decision::Refused
        );

        let advisor = actor(&[Role::Advisor]);
        assert!(decide(&advisor, Action::Decide, theirs).is_allowed());
        assert!(decide(&advisor, Action::View, theirs).is_allowed());
        assert_eq!(decide(&advisor, Action::Update, theirs), Decision::Refused);
        assert!(decide(&advisor, Action::Create, Target::Trainings).is_allowed());
        let both = actor(&[Role::Advisor, Role::Member]);
        assert_eq!(decide(&both, Action::Decide, mine), Decision::Refused);

        let board = actor(&[Role::Board]);
        assert!(decide(&board, Action::List, Target::Trainings).is_allowed());
        assert_eq!(decide(&board, Action::Decide, theirs), Decision::Refused);
        assert_eq!(
            decide(&board, Action::Create, Target::Trainings),
            Decision::Refused
        );

        let mut unsigned = actor(&[Role::Member]);
        unsigned.accepted_usage_contract = false;
        assert_eq!(
            decide(&unsigned, Action::Update, mine),
            Decision::UsageContractRequired
        );
    }

    #[test]
    fn a_receipt_is_shown_to_the_claimant_the_advisor_of_the_office_and_accountants() {
        let receipt = |office_id, filed| Target::ExpenseReceipt {
            office_id,
            filed_by_actor: filed,
        };
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::View, receipt(3, true)).is_allowed());
        assert_eq!(
            decide(&member, Action::View, receipt(3, false)),
            Decision::Refused
        );
        assert!(decide(&actor(&[Role::Advisor]), Action::View, receipt(3, false)).is_allowed());
        assert_eq!(
            decide(&actor(&[Role::Advisor]), Action::View, receipt(4, false)),
            Decision::Refused
        );
        assert!(decide(&actor(&[Role::Accountant]), Action::View, receipt(4, false)).is_allowed());
        for role in [Role::Board, Role::Administrator] {
            assert_eq!(
                decide(&actor(&[role]), Action::View, receipt(4, false)),
                Decision::Refused,
                "{role:?}"
            );
        }
    }

    #[test]
    fn a_visitor_reads_only_published_public_guide_articles() {
        let visitor = Actor::default();
        let article = |published, members_only| Target::GuideArticle {
            published,
            members_only,
        };
        assert!(decide(&visitor, Action::View, Target::Guide).is_allowed());
        assert!(decide(&visitor, Action::View, article(true, false)).is_allowed());
        assert!(!decide(&visitor, Action::View, article(true, true)).is_allowed());
        assert!(!decide(&visitor, Action::View, article(false, false)).is_allowed());
        let member = actor(&[Role::Member]);
        assert!(decide(&member, Action::View, article(true, true)).is_allowed());
        assert!(!decide(&member, Action::View, article(false, false)).is_allowed());
        let accountant = actor(&[Role::Accountant]);
        assert!(decide(&accountant, Action::View, article(true, true)).is_allowed());
    }

    #[test]
    fn only_administrators_and_advisors_edit_the_guide() {
        for roles in [&[Role::Administrator][..], &[Role::Advisor]] {
            let a = actor(roles);
            assert!(decide(&a, Action::Create, Target::Guide).is_allowed());
            let draft = Target::GuideArticle {
                published: false,
                members_only: true,
            };
            assert!(decide(&a, Action::View, draft).is_allowed());
            assert!(decide(&a, Action::Update, draft).is_allowed());
        }
        for roles in [
            &[Role::Member][..],
            &[Role::Accountant],
            &[Role::Board],
            &[],
        ] {
            let a = actor(roles);
            let create = decide(&a, Action::Create, Target::Guide);
            assert!(!create.is_allowed(), "{roles:?}");
            let public = Target::GuideArticle {
                published: true,
                members_only: false,
            };
            assert!(
                !decide(&a, Action::Update, public).is_allowed(),
                "{roles:?}"
            );
        }
    }

    #[test]
    fn a_legal_request_is_seen_by_its_member_and_the_legal_staff_only() {
        let mine = Target::LegalRequest {
            filed_by_actor: true,
        };
        let theirs = Target::LegalRequest {
            filed_by_actor: false,
        };
        let member = actor(&[Role::Member]);
        for action in [Action::View, Action::Create, Action::Update] {
            assert!(decide(&member, action, mine).is_allowed(), "{action:?}");
            assert_eq!(
                decide(&member, action, theirs),
                Decision::Refused,
                "{action:?}"
            );
        }
        // The member does not triage, answer or read the internal notes of their request.
        assert_eq!(decide(&member, Action::Decide, mine), Decision::Refused);
        assert!(decide(&member, Action::Create, Target::LegalHelp).is_allowed());
        assert_eq!(
            decide(&member, Action::List, Target::LegalHelp),
            Decision::Refused
        );

        let legal = actor(&[Role::Legal]);
        for action in [Action::List, Action::View, Action::Create, Action::Decide] {
            assert!(decide(&legal, action, theirs).is_allowed(), "{action:?}");
        }
        // Reopening is the member's decision.
        assert_eq!(decide(&legal, Action::Update, theirs), Decision::Refused);
        assert!(decide(&legal, Action::List, Target::LegalHelp).is_allowed());
        // A lawyer of the service who is also a member does not handle their own request.
        let both = actor(&[Role::Legal, Role::Member]);
        assert!(decide(&both, Action::View, mine).is_allowed());
        assert_eq!(decide(&both, Action::Decide, mine), Decision::Refused);

        // Professional secrecy: no other role reads a request, lists the queue or files one.
        for role in [
            Role::Administrator,
            Role::Advisor,
            Role::Board,
            Role::Accountant,
        ] {
            let a = actor(&[role]);
            for action in [
                Action::List,
                Action::View,
                Action::Create,
                Action::Update,
                Action::Decide,
            ] {
                assert_eq!(
                    decide(&a, action, theirs),
                    Decision::Refused,
                    "{role:?} {action:?}"
                );
                assert_eq!(
                    decide(&a, action, Target::LegalHelp),
                    Decision::Refused,
                    "{role:?} {action:?}"
                );
            }
        }

        let mut unsigned = actor(&[Role::Member]);
        unsigned.accepted_usage_contract = false;
        assert_eq!(
            decide(&unsigned, Action::View, mine),
            Decision::UsageContractRequired
        );
        assert_eq!(
            decide(&unsigned, Action::Create, Target::LegalHelp),
            Decision::UsageContractRequired
        );
    }

    #[test]
    fn loans_follow_the_holder_the_advisor_of_the_office_and_four_eyes() {
        let member = Actor {
            account_id: 1,
            person_id: 1,
            roles: vec![Role::Member],
            accepted_usage_contract: true,
            ..Default::default()
        };
        let advisor = Actor {
            account_id: 2,
            person_id: 2,
            roles: vec![Role::Advisor],
            advisor_offices: vec![7],
            ..Default::default()
        };
        let board = Actor {
            account_id: 3,
            person_id: 3,
            roles: vec![Role::Board],
            ..Default::default()
        };
        let accountant = Actor {
            account_id: 4,
            person_id: 4,
            roles: vec![Role::Accountant],
            ..Default::default()
        };
        let loan = |held, applied, opinion| Target::Loan {
            office_id: 7,
            held_by_actor: held,
            applied_by_actor: applied,
            opinion_by_actor: opinion,
        };
        assert!(decide(&member, Action::Create, Target::Loans).is_allowed());
        assert!(!decide(&member, Action::List, Target::Loans).is_allowed());
        assert!(decide(&member, Action::View, loan(true, true, false)).is_allowed());
        assert!(!decide(&member, Action::View, loan(false, false, false)).is_allowed());
        assert!(decide(&member, Action::Create, loan(true, true, false)).is_allowed());
        assert!(!decide(&member, Action::Decide, loan(true, true, false)).is_allowed());
        assert!(!decide(&member, Action::Update, loan(true, true, false)).is_allowed());
        let opinion = |applied| Target::LoanOpinion {
            office_id: 7,
            applied_by_actor: applied,
        };
        assert!(decide(&advisor, Action::Decide, opinion(false)).is_allowed());
        assert!(!decide(&advisor, Action::Decide, opinion(true)).is_allowed());
        let elsewhere = Target::LoanOpinion {
            office_id: 8,
            applied_by_actor: false,
        };
        assert!(!decide(&advisor, Action::Decide, elsewhere).is_allowed());
        assert!(!decide(&member, Action::Decide, opinion(false)).is_allowed());
        assert!(!decide(&advisor, Action::Decide, loan(false, false, false)).is_allowed());
        assert!(decide(&board, Action::Decide, loan(false, false, false)).is_allowed());
        assert!(!decide(&board, Action::Decide, loan(false, false, true)).is_allowed());
        assert!(!decide(&board, Action::Decide, loan(false, true, false)).is_allowed());
        assert!(!decide(&board, Action::Update, loan(false, false, false)).is_allowed());
        assert!(decide(&accountant, Action::Update, loan(false, false, false)).is_allowed());
        assert!(!decide(&accountant, Action::Decide, loan(false, false, false)).is_allowed());
        assert!(decide(&accountant, Action::List, Target::Loans).is_allowed());
    }

    #[test]
    fn cooperative_life_is_open_to_members_and_run_by_the_participation_staff() {
        let member = Actor {
            roles: vec![Role::Member],
            accepted_usage_contract: true,
            ..Actor::default()
        };
        let unsigned = Actor {
            roles: vec![Role::Member],
            ..Actor::default()
        };
        let staff = actor(&[Role::Participation]);
        let board = actor(&[Role::Board]);
        assert!(decide(&member, Action::Create, Target::CooperativeLife).is_allowed());
        assert_eq!(
            decide(&unsigned, Action::Create, Target::CooperativeLife),
            Decision::UsageContractRequired
        );
        assert!(!decide(&member, Action::Update, Target::CooperativeLife).is_allowed());
        assert!(!decide(&member, Action::Decide, Target::CooperativeLife).is_allowed());
        assert!(decide(&staff, Action::Update, Target::CooperativeLife).is_allowed());
        assert!(decide(&board, Action::Decide, Target::CooperativeLife).is_allowed());
        assert!(!decide(&board, Action::Update, Target::CooperativeLife).is_allowed());
        let mine = Target::Lab {
            coordinated_by_actor: true,
        };
        let theirs = Target::Lab {
            coordinated_by_actor: false,
        };
        assert!(decide(&member, Action::Update, mine).is_allowed());
        assert!(!decide(&member, Action::Update, theirs).is_allowed());
        assert!(!decide(&unsigned, Action::Update, mine).is_allowed());
        assert!(decide(&staff, Action::Update, theirs).is_allowed());
    }

    #[test]
    fn places_are_booked_by_members_and_kept_by_the_facilities_staff() {
        let member = Actor {
            roles: vec![Role::Member],
            accepted_usage_contract: true,
            ..Actor::default()
        };
        let facilities = actor(&[Role::Facilities]);
        assert!(decide(&member, Action::Create, Target::Places).is_allowed());
        assert!(!decide(&member, Action::Update, Target::Places).is_allowed());
        assert!(decide(&facilities, Action::Decide, Target::Places).is_allowed());
        assert!(!decide(&Actor::default(), Action::View, Target::Places).is_allowed());
    }

    #[test]
    fn the_incident_register_is_read_by_the_prevention_staff_only() {
        let prevention = actor(&[Role::Prevention]);
        let advisor = actor(&[Role::Advisor]);
        let member = Actor {
            roles: vec![Role::Member],
            accepted_usage_contract: true,
            ..Actor::default()
        };
        assert!(decide(&prevention, Action::List, Target::Prevention).is_allowed());
        assert!(decide(&advisor, Action::Create, Target::Prevention).is_allowed());
        assert!(!decide(&advisor, Action::View, Target::Prevention).is_allowed());
        assert!(!decide(&member, Action::Create, Target::Prevention).is_allowed());
    }
}
