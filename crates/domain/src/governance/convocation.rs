//! The general assembly's life and its convocation: `Draft → Convened → Open → Closed`,
//! the deadline when shareholders ask for it (CSA 6:70 §1) and the notice the convocation
//! must give (reference/governance.md §2.C, C-3, TV-16).

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::params::GovernanceParams;
use crate::validate::FieldErrors;

/// An ordinary (annual) or extraordinary general assembly. Only an extraordinary one
/// amends the statutes (CSA 6:85–6:86).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssemblyKind {
    Ordinary,
    Extraordinary,
}

impl AssemblyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AssemblyKind::Ordinary => "ordinary",
            AssemblyKind::Extraordinary => "extraordinary",
        }
    }

    pub fn parse(s: &str) -> Option<AssemblyKind> {
        match s {
            "ordinary" => Some(AssemblyKind::Ordinary),
            "extraordinary" => Some(AssemblyKind::Extraordinary),
            _ => None,
        }
    }
}

/// Where an assembly stands. The agenda is set while `Draft`; the convocation fixes it;
/// attendance and votes happen while `Open`; `Closed` freezes the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssemblyStatus {
    Draft,
    Convened,
    Open,
    Closed,
}

impl AssemblyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AssemblyStatus::Draft => "draft",
            AssemblyStatus::Convened => "convened",
            AssemblyStatus::Open => "open",
            AssemblyStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<AssemblyStatus> {
        match s {
            "draft" => Some(AssemblyStatus::Draft),
            "convened" => Some(AssemblyStatus::Convened),
            "open" => Some(AssemblyStatus::Open),
            "closed" => Some(AssemblyStatus::Closed),
            _ => None,
        }
    }

    /// The one step forward from here, if any: never back.
    pub fn next(self) -> Option<AssemblyStatus> {
        match self {
            AssemblyStatus::Draft => Some(AssemblyStatus::Convened),
            AssemblyStatus::Convened => Some(AssemblyStatus::Open),
            AssemblyStatus::Open => Some(AssemblyStatus::Closed),
            AssemblyStatus::Closed => None,
        }
    }
}

/// An assembly as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssemblyForm {
    #[serde(default)]
    pub ga_kind: String,
    #[serde(default)]
    pub ga_title: String,
    #[serde(default)]
    pub ga_held_on: String,
    #[serde(default)]
    pub ga_starts_at: String,
    #[serde(default)]
    pub ga_place: String,
    /// A checkbox: present when the assembly is also held online.
    #[serde(default)]
    pub ga_online: Option<String>,
}

/// An assembly ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewAssembly {
    pub kind: AssemblyKind,
    pub title: String,
    pub held_on: Date,
    /// `HH:MM`, Brussels time.
    pub starts_at: String,
    pub place: String,
    pub online: bool,
}

impl AssemblyForm {
    pub fn parse(&self) -> Result<NewAssembly, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = AssemblyKind::parse(self.ga_kind.trim());
        if kind.is_none() {
            errors.add("ga_kind", "ga-unknown-kind");
        }
        let title = errors.required("ga_title", &self.ga_title, 200);
        let held_on = self.ga_held_on.trim().parse::<Date>().ok();
        if held_on.is_none() {
            errors.add("ga_held_on", "ga-bad-date");
        }
        let starts_at = self.ga_starts_at.trim().to_string();
        if jiff::civil::Time::strptime("%H:%M", &starts_at).is_err() || starts_at.len() != 5 {
            errors.add("ga_starts_at", "ga-bad-time");
        }
        let online = self.ga_online.as_deref().is_some_and(|v| !v.is_empty());
        let place = self.ga_place.trim().to_string();
        if place.is_empty() && !online {
            errors.add("ga_place", "ga-place-or-online");
        } else if place.chars().count() > 300 {
            errors.add("ga_place", "too-long");
        }
        errors.into_result(|| NewAssembly {
            kind: kind.unwrap_or(AssemblyKind::Ordinary),
            title,
            held_on: held_on.unwrap_or_default(),
            starts_at,
            place,
            online,
        })
    }
}

/// The notice a convocation gives when the statutes say nothing else, in days, from the
/// parameters in force on the assembly's date (`convocation_notice_days` in
/// rules/governance.toml: CSA 6:70 §2 for the SC, fifteen days, to confirm).
pub fn notice_days(held_on: Date) -> Result<i64, crate::governance::params::ParamsError> {
    Ok(i64::from(
        crate::governance::params::params_on(held_on)?.convocation_notice_days,
    ))
}

/// What a request to convene the assembly obliges the board to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConveneRequest {
    /// Holders of at least the threshold asked: the board must convene by `deadline`
    /// (CSA 6:70 §1: within three weeks).
    Required {
        deadline: Date,
        share_bp: i64,
        threshold_bp: u32,
    },
    /// Fewer shares than the threshold asked: no legal obligation (the board may still
    /// convene).
    NotRequired { share_bp: i64, threshold_bp: u32 },
}

impl ConveneRequest {
    pub fn deadline(&self) -> Option<Date> {
        match self {
            ConveneRequest::Required { deadline, .. } => Some(*deadline),
            ConveneRequest::NotRequired { .. } => None,
        }
    }
}

/// A request received on `received_on` from holders of `requesting_shares` out of
/// `total_shares`. The share is compared exactly (`requesting × 10,000 ≥ total × bp`);
/// the basis points shown are rounded down.
pub fn convene_request(
    received_on: Date,
    requesting_shares: i64,
    total_shares: i64,
    params: &GovernanceParams,
) -> ConveneRequest {
    let threshold_bp = params.convene_request_share_bp;
    let share_bp = if total_shares > 0 {
        i64::try_from(i128::from(requesting_shares) * 10_000 / i128::from(total_shares))
            .unwrap_or(i64::MAX)
    } else {
        0
    };
    let reached = total_shares > 0
        && i128::from(requesting_shares) * 10_000
            >= i128::from(total_shares) * i128::from(threshold_bp);
    if reached {
        let days = i64::from(params.convene_within_days);
        ConveneRequest::Required {
            deadline: received_on.saturating_add(days.days()),
            share_bp,
            threshold_bp,
        }
    } else {
        ConveneRequest::NotRequired {
            share_bp,
            threshold_bp,
        }
    }
}

/// The last day a convocation may be sent for an assembly held on `held_on`.
pub fn send_by(held_on: Date, notice_days: i64) -> Date {
    held_on.saturating_sub(notice_days.days())
}

/// Whether a convocation sent on `sent_on` gives the notice.
pub fn notice_given(sent_on: Date, held_on: Date, notice_days: i64) -> bool {
    sent_on <= send_by(held_on, notice_days)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::governance::params::params_on;
    use jiff::civil::date;

    #[test]
    fn tv16_a_request_by_ten_point_two_percent_must_be_convened_within_three_weeks() {
        let p = params_on(date(2025, 3, 3)).unwrap();
        let r = convene_request(date(2025, 3, 3), 102, 1000, p);
        assert_eq!(r.deadline(), Some(date(2025, 3, 24)));
        assert!(matches!(
            r,
            ConveneRequest::Required {
                share_bp: 1020,
                threshold_bp: 1000,
                ..
            }
        ));
    }

    #[test]
    fn exactly_one_tenth_obliges_and_less_does_not() {
        let p = params_on(date(2025, 3, 3)).unwrap();
        assert!(
            convene_request(date(2025, 3, 3), 100, 1000, p)
                .deadline()
                .is_some()
        );
        let less = convene_request(date(2025, 3, 3), 99, 1000, p);
        assert_eq!(
            less,
            ConveneRequest::NotRequired {
                share_bp: 990,
                threshold_bp: 1000
            }
        );
        assert_eq!(convene_request(date(2025, 3, 3), 5, 0, p).deadline(), None);
    }

    #[test]
    fn the_convocation_gives_fifteen_days_notice() {
        let held = date(2026, 6, 20);
        let days = notice_days(held).unwrap();
        assert_eq!(days, 15);
        assert_eq!(send_by(held, days), date(2026, 6, 5));
        assert!(notice_given(date(2026, 6, 5), held, days));
        assert!(!notice_given(date(2026, 6, 6), held, days));
    }

    #[test]
    fn an_assembly_needs_a_kind_a_date_a_time_and_a_place_or_online() {
        let ok = AssemblyForm {
            ga_kind: "ordinary".into(),
            ga_title: "AG ordinaire 2026".into(),
            ga_held_on: "2026-06-20".into(),
            ga_starts_at: "18:30".into(),
            ga_place: String::new(),
            ga_online: Some("on".into()),
        }
        .parse()
        .unwrap();
        assert!(ok.online);
        assert_eq!(ok.held_on, date(2026, 6, 20));
        let bad = AssemblyForm {
            ga_kind: "annual".into(),
            ga_held_on: "20/06/2026".into(),
            ga_starts_at: "6pm".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        for (field, code) in [
            ("ga_kind", "ga-unknown-kind"),
            ("ga_title", "required"),
            ("ga_held_on", "ga-bad-date"),
            ("ga_starts_at", "ga-bad-time"),
            ("ga_place", "ga-place-or-online"),
        ] {
            assert_eq!(bad.get(field), Some(code), "{field}");
        }
        assert_eq!(AssemblyStatus::Open.next(), Some(AssemblyStatus::Closed));
        assert_eq!(AssemblyStatus::Closed.next(), None);
    }
}
