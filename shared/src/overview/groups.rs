//! The groupings of the overview's rows and columns: age groups, time since return, waits,
//! follow-up outcomes, and the tables and column headings themselves.

crate::code_enum! {
    /// Age groups of individuals (age this year, from the birth year).
    pub enum AgeGroup {
        Under5 = "0_4",
        Child = "5_17",
        Adult = "18_59",
        Older = "60_plus",
    }
}

impl AgeGroup {
    pub fn of_age(age: i64) -> AgeGroup {
        match age {
            ..=4 => AgeGroup::Under5,
            5..=17 => AgeGroup::Child,
            18..=59 => AgeGroup::Adult,
            _ => AgeGroup::Older,
        }
    }
}

crate::code_enum! {
    /// Months from return to an assessment.
    pub enum SinceReturn {
        UpTo3 = "0_3",
        UpTo6 = "4_6",
        UpTo12 = "7_12",
        UpTo24 = "13_24",
        Over24 = "25_plus",
    }
}

impl SinceReturn {
    pub fn of_months(months: i64) -> SinceReturn {
        match months {
            ..=3 => SinceReturn::UpTo3,
            4..=6 => SinceReturn::UpTo6,
            7..=12 => SinceReturn::UpTo12,
            13..=24 => SinceReturn::UpTo24,
            _ => SinceReturn::Over24,
        }
    }
}

crate::code_enum! {
    /// Days from registration to the first assessment.
    pub enum Wait {
        Week = "0_7",
        Month = "8_30",
        Quarter = "31_90",
        Longer = "91_plus",
        NotYet = "not_yet",
    }
}

impl Wait {
    pub fn of_days(days: Option<i64>) -> Wait {
        match days {
            None => Wait::NotYet,
            Some(..=7) => Wait::Week,
            Some(8..=30) => Wait::Month,
            Some(31..=90) => Wait::Quarter,
            Some(_) => Wait::Longer,
        }
    }
}

crate::code_enum! {
    /// How the follow-ups of the period went, and the cases lost to follow-up.
    pub enum FollowUpOutcome {
        OnTime = "on_time",
        Late = "late",
        Missed = "missed",
        Overdue = "overdue",
        Lost = "lost",
    }
}

crate::code_enum! {
    /// The tables of the overview, in the order the page shows them.
    pub enum TableId {
        Registrations = "registrations",
        Monthly = "monthly",
        SexAge = "sex_age",
        Needs = "needs",
        ReturnTypes = "return_types",
        Assessments = "assessments",
        FirstAssessment = "first_assessment",
        ReferralsByService = "referrals_by_service",
        ReferralsByOrganisation = "referrals_by_organisation",
        OutcomesByService = "outcomes_by_service",
        OutcomesByOrganisation = "outcomes_by_organisation",
        FollowUps = "follow_ups",
        Closures = "closures",
    }
}

crate::code_enum! {
    /// Column headings.
    pub enum Column {
        Families = "families",
        Individuals = "individuals",
        Female = "female",
        Male = "male",
        Total = "total",
        Count = "count",
        Assessments = "assessments",
        Economic = "economic",
        Social = "social",
        Psychosocial = "psychosocial",
        Composite = "composite",
        Sent = "sent",
        Accepted = "accepted",
        AcceptanceRate = "acceptance_rate",
        MedianDaysToRespond = "median_days_to_respond",
        Completed = "completed",
        CompletionRate = "completion_rate",
        MedianDays = "median_days",
        Compared = "compared",
        EconomicChange = "economic_change",
        SocialChange = "social_change",
        PsychosocialChange = "psychosocial_change",
        CompositeChange = "composite_change",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groupings() {
        assert_eq!(AgeGroup::of_age(0), AgeGroup::Under5);
        assert_eq!(AgeGroup::of_age(17), AgeGroup::Child);
        assert_eq!(AgeGroup::of_age(60), AgeGroup::Older);
        assert_eq!(SinceReturn::of_months(3), SinceReturn::UpTo3);
        assert_eq!(SinceReturn::of_months(25), SinceReturn::Over24);
        assert_eq!(Wait::of_days(None), Wait::NotYet);
        assert_eq!(Wait::of_days(Some(8)), Wait::Month);
    }
}
