import MemberSync
import Testing

/// Sync-rules section 2: the `company` field.
struct CompanyRulesTests {
    typealias F = RuleFixtures

    func company(
        _ organizations: [Profile],
        _ relationships: [Relationship],
        member: Bool = true,
        settings: SyncSettings = F.settings()
    ) -> String? {
        F.evaluate(1, [F.person(1, member: member)] + organizations, relationships, settings: settings).record?.company
    }

    @Test func companyIsTheNameOfThePrimaryMemberOrganization() {
        #expect(company([F.organization(10, name: "Acme Ltd")], [F.tie(1, 10, primary: true)]) == "Acme Ltd")
    }

    @Test func companyFallsBackToLivePrimaryNonMemberOrganization() {
        let organizations = [F.organization(10, member: false, name: "Beta GmbH")]
        #expect(company(organizations, [F.tie(1, 10, primary: true)]) == "Beta GmbH")
    }

    @Test func primaryMemberOrganizationBeatsLivePrimaryOrganization() {
        let organizations = [F.organization(10, member: false, name: "Alpha"), F.organization(20, name: "Zulu")]
        #expect(company(organizations, [F.tie(1, 10, primary: true), F.tie(1, 20, primary: true)]) == "Zulu")
    }

    @Test func lowestOrganizationIdWinsAmongPrimaryMemberOrganizations() {
        let organizations = [F.organization(30, name: "Thirty"), F.organization(20, name: "Twenty")]
        #expect(company(organizations, [F.tie(1, 30, primary: true), F.tie(1, 20, primary: true)]) == "Twenty")
    }

    @Test func organizationWithEmptyNameIsSkipped() {
        let organizations = [F.organization(10, name: " \u{3000}"), F.organization(20, name: "Named")]
        #expect(company(organizations, [F.tie(1, 10, primary: true), F.tie(1, 20, primary: true)]) == "Named")
    }

    @Test func primaryMemberOrganizationWithoutNameFallsBackToLivePrimaryOrganization() {
        let organizations = [F.organization(10, name: ""), F.organization(20, member: false, name: "Live Co")]
        #expect(company(organizations, [F.tie(1, 10, primary: true), F.tie(1, 20, primary: true)]) == "Live Co")
    }

    @Test func personInAMemberAndANonMemberOrganizationTakesTheMemberOrganizationsName() {
        let organizations = [F.organization(10, member: false, name: "Not Member"), F.organization(20, name: "Member")]
        let relationships = [F.tie(1, 10, primary: true), F.tie(1, 20, primary: true, mainContact: true)]
        let evaluation = F.evaluate(1, [F.person(1)] + organizations, relationships)
        #expect(evaluation.groupID == 4)
        #expect(evaluation.record?.company == "Member")
    }

    @Test func nonPrimaryRelationshipGivesNoCompany() {
        #expect(company([F.organization(10, name: "Acme")], [F.tie(1, 10, mainContact: true)]) == "")
    }

    @Test func inactivePrimaryOrganizationGivesNoCompany() {
        let organizations = [F.organization(10, member: false, status: "inactive", name: "Gone Inc")]
        #expect(company(organizations, [F.tie(1, 10, primary: true)]) == "")
    }

    @Test func mergedPrimaryOrganizationGivesNoCompany() {
        let organizations = [F.organization(10, mergedInto: 11, name: "Old Name"), F.organization(11, name: "New")]
        #expect(company(organizations, [F.tie(1, 10, primary: true)]) == "")
    }

    @Test func noOrganizationGivesEmptyCompany() {
        #expect(company([], []) == "")
    }

    @Test func companyIsTrimmedAndComposed() {
        let organizations = [F.organization(10, name: "\u{00A0} Cafe\u{0301} Ltd\t")]
        #expect(company(organizations, [F.tie(1, 10, primary: true)]) == "Caf\u{00E9} Ltd")
    }

    @Test func nonMemberGroupPersonGetsCompanyOfLivePrimaryOrganization() {
        let settings = F.settings(includeIndividualNonmembers: true)
        let organizations = [F.organization(10, member: false, name: "Small Shop")]
        #expect(
            company(organizations, [F.tie(1, 10, primary: true)], member: false, settings: settings) == "Small Shop"
        )
    }
}
