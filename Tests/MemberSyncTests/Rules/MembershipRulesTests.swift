import MemberSync
import Testing

/// Sync-rules section 1: who is live, who is a member, and which group a person goes to.
struct MembershipRulesTests {
    typealias F = RuleFixtures

    func group(
        of id: Int,
        _ profiles: [Profile],
        _ relationships: [Relationship] = [],
        settings: SyncSettings = F.settings(),
        graceDays: Int = 0
    ) -> Int? {
        F.evaluate(id, profiles, relationships, settings: settings, graceDays: graceDays).groupID
    }

    // MARK: - Live

    @Test func activeMemberGoesToMemberGroup() {
        let evaluation = F.evaluate(1, [F.person(1, member: true)])
        #expect(evaluation.groupID == 4)
        #expect(evaluation.rule == .ownMembership)
        #expect(evaluation.record?.customerGroupID == 4)
    }

    @Test(arguments: ["inactive", "deleted", "Active", ""])
    func memberWithStatusOtherThanActiveIsNotLive(status: String) {
        let evaluation = F.evaluate(1, [F.person(1, member: true, status: status)])
        #expect(evaluation.groupID == nil)
        #expect(evaluation.noGroupReason == .notLive)
    }

    @Test func mergedMemberIsNotLive() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, mergedInto: 2), F.person(2)])
        #expect(evaluation.groupID == nil)
        #expect(evaluation.noGroupReason == .notLive)
    }

    @Test func inactiveNonMemberIsNotPutInNonMemberGroup() {
        let settings = F.settings(includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1, status: "inactive")], settings: settings) == nil)
        #expect(group(of: 1, [F.person(1, mergedInto: 2), F.person(2)], settings: settings) == nil)
    }

    // MARK: - Membership dates

    @Test func memberWithoutExpiryIsMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: nil)]) == 4)
    }

    @Test func memberExpiringTodayIsMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(0))]) == 4)
    }

    @Test func memberExpiringInTheFutureIsMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(300))]) == 4)
    }

    @Test func expiredYesterdayWithoutGraceLeavesMemberGroup() {
        let evaluation = F.evaluate(1, [F.person(1, member: true, expires: F.day(-1))])
        #expect(evaluation.groupID == nil)
        #expect(evaluation.noGroupReason == .noGroup)
    }

    @Test func expiredThreeDaysAgoWithFiveGraceDaysIsMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(-3))], graceDays: 5) == 4)
    }

    @Test func expiredThreeDaysAgoWithTwoGraceDaysIsNotMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(-3))], graceDays: 2) == nil)
    }

    @Test func expiredExactlyGraceDaysAgoIsStillMember() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(-3))], graceDays: 3) == 4)
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(-4))], graceDays: 3) == nil)
    }

    @Test func graceCountsAcrossMonthAndYearEnds() {
        let rules = MembershipRules(
            settings: F.settings(),
            today: CalendarDay(year: 2027, month: 1, day: 2),
            graceDays: 3
        )
        #expect(rules.isMember(F.person(1, member: true, expires: "2026-12-30")))
        #expect(!rules.isMember(F.person(1, member: true, expires: "2026-12-29")))
    }

    @Test func negativeGraceCountsAsNone() {
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(0))], graceDays: -5) == 4)
        #expect(group(of: 1, [F.person(1, member: true, expires: F.day(-1))], graceDays: -5) == nil)
    }

    @Test(arguments: ["2026-13-01", "2026-02-30", "15/06/2027", "2027-6-15", "next year", "２０２７-０６-１５", "", "  "])
    func unreadableExpiryDateCountsAsExpired(expires: String) {
        #expect(group(of: 1, [F.person(1, member: true, expires: expires)], graceDays: 10) == nil)
    }

    @Test func memberFlagOffIsNotMemberWhateverTheExpiry() {
        #expect(group(of: 1, [F.person(1, member: false, expires: F.day(30))]) == nil)
    }

    // MARK: - Organizations

    @Test func memberOrganizationIsNeverUploaded() {
        let evaluation = F.evaluate(10, [F.organization(10, member: true)])
        #expect(evaluation.groupID == nil)
        #expect(evaluation.record == nil)
        #expect(evaluation.isOrganization)
    }

    @Test func organizationIsNeverPutInNonMemberGroup() {
        let settings = F.settings(includeIndividualNonmembers: true)
        #expect(group(of: 10, [F.organization(10, member: false)], settings: settings) == nil)
    }

    @Test func profileOfUnknownKindIsNeverUploaded() {
        var profile = F.person(1, member: true)
        profile.kind = nil
        #expect(group(of: 1, [profile]) == nil)
    }

    // MARK: - Rule 3: main contacts

    @Test func mainContactOfMemberOrganizationGoesToMemberGroup() {
        let evaluation = F.evaluate(1, [F.person(1), F.organization(10)], [F.tie(1, 10, mainContact: true)])
        #expect(evaluation.groupID == 4)
        #expect(evaluation.rule == .mainContactOfMemberOrganization(10))
        #expect(evaluation.isMainContactOfMemberOrganization)
    }

    @Test func mainContactWithIncludeMainContactsOffIsNotUploaded() {
        let settings = F.settings(includeMainContacts: false)
        let evaluation = F.evaluate(
            1,
            [F.person(1), F.organization(10)],
            [F.tie(1, 10, mainContact: true)],
            settings: settings
        )
        #expect(evaluation.groupID == nil)
        #expect(evaluation.isMainContactOfMemberOrganization)
    }

    @Test func mainContactOfNonMemberOrganizationIsNotUploaded() {
        let profiles = [F.person(1), F.organization(10, member: false)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func nonMainContactEmployeeOfMemberOrganizationIsNotUploaded() {
        #expect(group(of: 1, [F.person(1), F.organization(10)], [F.tie(1, 10)]) == nil)
    }

    @Test func mainContactMovesToAnotherPerson() {
        let profiles = [F.person(1), F.person(2), F.organization(10)]
        let before = [F.tie(1, 10, mainContact: true), F.tie(2, 10)]
        let after = [F.tie(1, 10), F.tie(2, 10, mainContact: true)]
        #expect(group(of: 1, profiles, before) == 4)
        #expect(group(of: 2, profiles, before) == nil)
        #expect(group(of: 1, profiles, after) == nil)
        #expect(group(of: 2, profiles, after) == 4)
    }

    // MARK: - Rule 2: primary relationships

    @Test func primaryRelatedOfMemberOrganizationGoesToMemberGroupWhenSettingOn() {
        let settings = F.settings(includePrimaryRelated: true)
        let evaluation = F.evaluate(
            1,
            [F.person(1), F.organization(10)],
            [F.tie(1, 10, primary: true)],
            settings: settings
        )
        #expect(evaluation.groupID == 4)
        #expect(evaluation.rule == .primaryMemberOrganization(10))
    }

    @Test func primaryRelatedOfMemberOrganizationIsNotUploadedWhenSettingOff() {
        let settings = F.settings(includePrimaryRelated: false)
        #expect(
            group(of: 1, [F.person(1), F.organization(10)], [F.tie(1, 10, primary: true)], settings: settings) == nil
        )
    }

    @Test func primaryRelationshipToNonMemberOrganizationIsNotUploaded() {
        let settings = F.settings(includePrimaryRelated: true)
        let profiles = [F.person(1), F.organization(10, member: false)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, primary: true)], settings: settings) == nil)
    }

    @Test func primaryRelationshipMovesFromMemberOrganizationToNonMemberOrganization() {
        let settings = F.settings(includePrimaryRelated: true)
        let profiles = [F.person(1), F.organization(10), F.organization(20, member: false)]
        let before = [F.tie(1, 10, primary: true), F.tie(1, 20)]
        let after = [F.tie(1, 10), F.tie(1, 20, primary: true)]
        #expect(group(of: 1, profiles, before, settings: settings) == 4)
        #expect(group(of: 1, profiles, after, settings: settings) == nil)
    }

    @Test func primaryRelationshipMovesToAnotherMemberOrganization() {
        let settings = F.settings(includePrimaryRelated: true)
        let profiles = [F.person(1), F.organization(10, member: false), F.organization(20)]
        let evaluation = F.evaluate(1, profiles, [F.tie(1, 10), F.tie(1, 20, primary: true)], settings: settings)
        #expect(evaluation.groupID == 4)
        #expect(evaluation.rule == .primaryMemberOrganization(20))
        #expect(evaluation.record?.company == "Org 20")
    }

    // MARK: - The organization changes

    @Test func organizationDroppedLeavesMemberGroup() {
        #expect(group(of: 1, [F.person(1), F.organization(10)], []) == nil)
    }

    @Test func organizationNoLongerMemberLeavesMemberGroup() {
        let profiles = [F.person(1), F.organization(10, member: false)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func organizationWhoseMembershipExpiredLeavesMemberGroup() {
        let profiles = [F.person(1), F.organization(10, expires: F.day(-1))]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func organizationWithinGraceKeepsItsMainContact() {
        let profiles = [F.person(1), F.organization(10, expires: F.day(-1))]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)], graceDays: 1) == 4)
    }

    @Test(arguments: ["inactive", "deleted"])
    func organizationNoLongerActiveLeavesMemberGroup(status: String) {
        let profiles = [F.person(1), F.organization(10, status: status)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func organizationMergedAwayLeavesMemberGroup() {
        let profiles = [F.person(1), F.organization(10, mergedInto: 20), F.organization(20, member: false)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func organizationRowDeletedLeavesMemberGroup() {
        #expect(group(of: 1, [F.person(1)], [F.tie(1, 10, mainContact: true)]) == nil)
    }

    @Test func tieToAnIndividualIsNotAnOrganizationTie() {
        let profiles = [F.person(1), F.person(2, member: true)]
        #expect(group(of: 1, profiles, [F.tie(1, 2, primary: true, mainContact: true)]) == nil)
    }

    @Test func personInTwoOrganizationsGoesByTheMemberOne() {
        let profiles = [F.person(1), F.organization(10, member: false), F.organization(20)]
        let relationships = [F.tie(1, 10, mainContact: true), F.tie(1, 20, mainContact: true)]
        let evaluation = F.evaluate(1, profiles, relationships)
        #expect(evaluation.groupID == 4)
        #expect(evaluation.rule == .mainContactOfMemberOrganization(20))
    }

    @Test func ownMembershipIsTheFirstRule() {
        let settings = F.settings(includePrimaryRelated: true)
        let profiles = [F.person(1, member: true), F.organization(10)]
        let evaluation = F.evaluate(1, profiles, [F.tie(1, 10, primary: true, mainContact: true)], settings: settings)
        #expect(evaluation.rule == .ownMembership)
    }

    // MARK: - Non-member group

    @Test func nonMemberGoesToNonMemberGroupWhenNonmembersOn() {
        let evaluation = F.evaluate(1, [F.person(1)], settings: F.settings(includeIndividualNonmembers: true))
        #expect(evaluation.groupID == 3)
        #expect(evaluation.rule == .individualNonmember)
        #expect(evaluation.record?.customerGroupID == 3)
    }

    @Test func nonMemberIsNotUploadedWhenNonmembersOff() {
        let evaluation = F.evaluate(1, [F.person(1)], settings: F.settings(includeIndividualNonmembers: false))
        #expect(evaluation.groupID == nil)
        #expect(evaluation.noGroupReason == .noGroup)
    }

    @Test func memberStaysInMemberGroupWhenNonmembersOn() {
        let settings = F.settings(includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1, member: true)], settings: settings) == 4)
    }

    @Test func primaryTieToMemberOrganizationKeepsPersonOutOfNonMemberGroup() {
        let settings = F.settings(includeIndividualNonmembers: true, includePrimaryRelated: false)
        let profiles = [F.person(1), F.organization(10)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, primary: true)], settings: settings) == nil)
    }

    @Test func mainContactTieKeepsPersonOutOfNonMemberGroupWhenMainContactsOff() {
        let settings = F.settings(includeIndividualNonmembers: true, includeMainContacts: false)
        let profiles = [F.person(1), F.organization(10)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, mainContact: true)], settings: settings) == nil)
    }

    @Test func tiesToNonMemberOrganizationsDoNotKeepPersonOutOfNonMemberGroup() {
        let settings = F.settings(includeIndividualNonmembers: true)
        let profiles = [F.person(1), F.organization(10, member: false)]
        #expect(group(of: 1, profiles, [F.tie(1, 10, primary: true, mainContact: true)], settings: settings) == 3)
    }

    @Test func plainEmployeeOfMemberOrganizationGoesToNonMemberGroup() {
        let settings = F.settings(includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1), F.organization(10)], [F.tie(1, 10)], settings: settings) == 3)
    }

    // MARK: - Incomplete settings

    @Test func nullMemberGroupGivesMembersNoGroup() {
        let settings = F.settings(memberGroupID: nil)
        #expect(group(of: 1, [F.person(1, member: true)], settings: settings) == nil)
        #expect(
            group(of: 1, [F.person(1), F.organization(10)], [F.tie(1, 10, mainContact: true)], settings: settings)
                == nil
        )
    }

    @Test func nullMemberGroupNeverPutsAMemberInNonMemberGroup() {
        let settings = F.settings(memberGroupID: nil, includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1, member: true)], settings: settings) == nil)
    }

    @Test func nullMemberGroupUploadsNobody() {
        let settings = F.settings(memberGroupID: nil, includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1)], settings: settings) == nil)
    }

    @Test func nullMemberGroupIsExplained() {
        let evaluation = F.evaluate(1, [F.person(1, member: true)], settings: F.settings(memberGroupID: nil))
        #expect(evaluation.noGroupReason == .noGroup)
        #expect(evaluation.explanation.contains("no member group"))
        #expect(!evaluation.explanation.contains("expired"))
    }

    @Test func nullNonMemberGroupPutsNobodyInNonMemberGroup() {
        let settings = F.settings(nonmemberGroupID: nil, includeIndividualNonmembers: true)
        #expect(group(of: 1, [F.person(1)], settings: settings) == nil)
    }

    // MARK: - evaluateAll

    @Test func evaluateAllCoversEveryProfile() {
        let snapshot = F.snapshot([F.person(1, member: true), F.person(2), F.organization(10)])
        let evaluations = F.rules().evaluateAll(snapshot)
        #expect(Set(evaluations.keys) == [1, 2, 10])
        #expect(evaluations[1]?.groupID == 4)
        #expect(evaluations[2]?.groupID == nil)
    }
}
