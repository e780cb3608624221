//! The plain data types of a handbook: kinds of page, policy status, dates and review periods.
//!
//! Nothing here does I/O; these types are shared by front matter, rendering and templates.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, de};

/// What a page is for. Each kind has its own template and its own front-matter fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A rule the organization follows, with an owner and a review cycle.
    Policy,
    /// A step-by-step procedure.
    Playbook,
    /// One question with a short answer.
    Faq,
    /// Anything else.
    #[default]
    Page,
}

impl Kind {
    /// The name used in front matter, templates and CLI arguments.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Playbook => "playbook",
            Kind::Faq => "faq",
            Kind::Page => "page",
        }
    }

    /// The kinds that have an index page listing every page of the kind, wherever it lives.
    pub const INDEXED: [Kind; 2] = [Kind::Policy, Kind::Playbook];

    /// The folder (and URL path, with a `/`) of this kind's index page: `policies` for
    /// policies, `playbooks` for playbooks. None for kinds without one (the FAQ hub has its
    /// own rules).
    pub fn index_dir(self) -> Option<&'static str> {
        match self {
            Kind::Policy => Some("policies"),
            Kind::Playbook => Some("playbooks"),
            Kind::Faq | Kind::Page => None,
        }
    }

    /// The title of the index page Folio writes when the site has no section for it.
    pub fn index_title(self) -> &'static str {
        match self {
            Kind::Policy => "Policies",
            Kind::Playbook => "Playbooks",
            Kind::Faq => "Frequently asked questions",
            Kind::Page => "Pages",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may see a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Everyone.
    #[default]
    Public,
    /// Staff only; left out of public builds.
    Internal,
}

/// Where a policy is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyStatus {
    /// Being written; not in force.
    Draft,
    /// Waiting for approvers.
    InReview,
    /// In force.
    Approved,
    /// No longer in force.
    Retired,
}

impl PolicyStatus {
    /// The status as written in front matter.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyStatus::Draft => "draft",
            PolicyStatus::InReview => "in-review",
            PolicyStatus::Approved => "approved",
            PolicyStatus::Retired => "retired",
        }
    }

    /// The status in words, for readers.
    pub fn label(self) -> &'static str {
        match self {
            PolicyStatus::Draft => "Draft",
            PolicyStatus::InReview => "In review",
            PolicyStatus::Approved => "Approved",
            PolicyStatus::Retired => "Retired",
        }
    }

    /// Position in the lifecycle (draft 1, in review 2, approved 3, retired 4), so that lists
    /// can sort by status in that order rather than alphabetically.
    pub fn lifecycle_order(self) -> u8 {
        match self {
            PolicyStatus::Draft => 1,
            PolicyStatus::InReview => 2,
            PolicyStatus::Approved => 3,
            PolicyStatus::Retired => 4,
        }
    }
}

/// A calendar date written in ISO 8601 (`2026-03-01`; a full timestamp is accepted and its date
/// part kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(pub time::Date);

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl IsoDate {
    /// Parses `YYYY-MM-DD`, or an RFC 3339 timestamp whose date part is kept.
    pub fn parse(text: &str) -> Option<IsoDate> {
        let text = text.trim();
        let date_part = text.get(..10)?;
        let rest = &text[10..];
        if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
            return None;
        }
        let date = time::Date::parse(date_part, ISO_DATE).ok()?;
        if !rest.is_empty() {
            let full = text.replacen(' ', "T", 1);
            time::OffsetDateTime::parse(&full, &time::format_description::well_known::Rfc3339)
                .ok()
                .or_else(|| {
                    time::PrimitiveDateTime::parse(
                        &full,
                        time::macros::format_description!(
                            "[year]-[month]-[day]T[hour]:[minute]:[second]"
                        ),
                    )
                    .ok()
                    .map(time::PrimitiveDateTime::assume_utc)
                })?;
        }
        Some(IsoDate(date))
    }

    /// Today's date in UTC, or the date in `FOLIO_TODAY` (YYYY-MM-DD) when that is set, so that
    /// review reminders can be reproduced in tests and CI.
    pub fn today() -> IsoDate {
        std::env::var("FOLIO_TODAY")
            .ok()
            .and_then(|text| IsoDate::parse(text.trim()))
            .unwrap_or_else(|| IsoDate(time::OffsetDateTime::now_utc().date()))
    }

    /// This date plus a review period, clamped to the last day of a shorter month.
    pub fn plus(self, period: ReviewPeriod) -> Option<IsoDate> {
        let date = self.0;
        let add_months = |months: i32| {
            let total = date.year() * 12 + (date.month() as i32 - 1) + months;
            let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
            let month = time::Month::try_from(month0 as u8 + 1).ok()?;
            let day = date.day().min(month.length(year));
            time::Date::from_calendar_date(year, month, day).ok()
        };
        let n = period.count as i64;
        let result = match period.unit {
            PeriodUnit::Days => date.checked_add(time::Duration::days(n)),
            PeriodUnit::Weeks => date.checked_add(time::Duration::weeks(n)),
            PeriodUnit::Months => add_months(period.count as i32),
            PeriodUnit::Years => add_months(period.count as i32 * 12),
        };
        result.map(IsoDate)
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(ISO_DATE).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IsoDateVisitor)
    }
}

struct IsoDateVisitor;

impl<'de> de::Visitor<'de> for IsoDateVisitor {
    type Value = IsoDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 8601 date such as 2026-03-01")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<IsoDate, E> {
        IsoDate::parse(value).ok_or_else(|| {
            E::custom(format!(
                "invalid date `{value}`: expected an ISO 8601 date such as 2026-03-01"
            ))
        })
    }

    // TOML has native dates, which toml hands over as a one-entry map.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<IsoDate, A::Error> {
        let Some((_, value)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom("expected a date"));
        };
        self.visit_str(&value)
    }
}

/// The unit of a [`ReviewPeriod`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    /// Calendar days.
    Days,
    /// Weeks of seven days.
    Weeks,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
}

/// How often a policy must be reviewed, written like `12 months` or `1 year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewPeriod {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: PeriodUnit,
}

impl ReviewPeriod {
    /// Parses `N days|weeks|months|years` (singular or plural).
    pub fn parse(text: &str) -> Option<ReviewPeriod> {
        let mut words = text.split_whitespace();
        let count: u32 = words.next()?.parse().ok().filter(|n| *n > 0)?;
        let unit = match words.next()?.to_lowercase().as_str() {
            "day" | "days" => PeriodUnit::Days,
            "week" | "weeks" => PeriodUnit::Weeks,
            "month" | "months" => PeriodUnit::Months,
            "year" | "years" => PeriodUnit::Years,
            _ => return None,
        };
        words
            .next()
            .is_none()
            .then_some(ReviewPeriod { count, unit })
    }
}

impl fmt::Display for ReviewPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            PeriodUnit::Days => "day",
            PeriodUnit::Weeks => "week",
            PeriodUnit::Months => "month",
            PeriodUnit::Years => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl Serialize for ReviewPeriod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReviewPeriod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReviewPeriod::parse(&text).ok_or_else(|| {
            de::Error::custom(format!(
                "invalid review period `{text}`: expected a number and a unit, such as `12 months`"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_iso_forms_and_reject_others() {
        assert_eq!(
            IsoDate::parse("2026-03-01").unwrap().to_string(),
            "2026-03-01"
        );
        assert_eq!(
            IsoDate::parse("2026-03-01T10:00:00Z").unwrap().to_string(),
            "2026-03-01"
        );
        assert!(IsoDate::parse("2026-02-30").is_none());
        assert!(IsoDate::parse("01/03/2026").is_none());
        assert!(IsoDate::parse("2026-03-01garbage").is_none());
    }

    #[test]
    fn review_periods_add_calendar_units() {
        let date = IsoDate::parse("2026-01-31").unwrap();
        let month = ReviewPeriod::parse("1 month").unwrap();
        assert_eq!(date.plus(month).unwrap().to_string(), "2026-02-28");
        let year = ReviewPeriod::parse("2 Years").unwrap();
        assert_eq!(date.plus(year).unwrap().to_string(), "2028-01-31");
        let days = ReviewPeriod::parse("90 days").unwrap();
        assert_eq!(date.plus(days).unwrap().to_string(), "2026-05-01");
        assert!(ReviewPeriod::parse("twelve months").is_none());
        assert!(ReviewPeriod::parse("0 months").is_none());
        assert!(ReviewPeriod::parse("12 fortnights").is_none());
    }
}
