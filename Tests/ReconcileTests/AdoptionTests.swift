import Foundation
import NgrokModel
import Reconcile
import Testing

/// `adopt: true` on kinds without a unique name: by content, then by a unique natural key, else create.
@Suite(.serialized) struct AdoptionTests {
    static let doc = AcceptanceTests.doc

    func post(_ h: Harness, _ collection: String, _ body: String) async throws -> String {
        try await h.api.send(method: .post, path: "/\(collection)", body: Array(body.utf8))?["id"]?.stringValue ?? ""
    }

    @Test func naturalKeyAdoptsWithChangesThenPlanIsEmpty() async throws {
        let h = try await Harness.start()
        let id = try await post(h, "ip_whitelist", #"{"ip_net":"203.0.113.0/24","description":"old"}"#)
        try h.write(Self.doc("IPWhitelistEntry", "hq", "ipNet: 203.0.113.0/24\ndescription: new\nadopt: true"))
        let plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.adopt], "\(PlanRenderer.text(plan, color: false))")
        #expect(plan.operations.first?.request.objectID == id)
        #expect(plan.operations.first?.changes.contains { $0.path == "description" } == true)
        #expect(await h.apply(plan).ok)
        try await h.expectEmptyPlan()
        await h.stop()
    }

    @Test func exactContentWinsAndAmbiguityCreates() async throws {
        let h = try await Harness.start()
        let a = try await post(h, "ip_policies", #"{"action":"allow","description":"dup"}"#)
        _ = try await post(h, "ip_policy_rules", #"{"cidr":"192.0.2.0/24","ip_policy_id":"\#(a)"}"#)
        let b = try await post(h, "ip_policies", #"{"action":"allow","description":"dup"}"#)
        _ = try await post(h, "ip_policy_rules", #"{"cidr":"198.51.100.0/24","ip_policy_id":"\#(b)"}"#)
        // The same content as b (not the older a): b is adopted.
        try h.write(Self.doc("IPPolicy", "second", "description: dup\nrules: [{cidr: 198.51.100.0/24}]\nadopt: true"))
        var plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.adopt], "\(PlanRenderer.text(plan, color: false))")
        #expect(plan.operations.first?.request.objectID == b)
        // Content matching neither, and two objects share the description: nothing to adopt safely.
        try h.write(Self.doc("IPPolicy", "third", "description: dup\nrules: [{cidr: 10.0.0.0/8}]\nadopt: true"))
        plan = try await h.plan()
        #expect(plan.operations.filter { $0.subject == .object }.map(\.action) == [.create], "\(PlanRenderer.text(plan, color: false))")
        // Without adopt: always a create.
        try h.write(Self.doc("IPPolicy", "second", "description: dup\nrules: [{cidr: 198.51.100.0/24}]"))
        plan = try await h.plan()
        #expect(plan.operations.filter { $0.subject == .object }.map(\.action) == [.create])
        await h.stop()
    }

    @Test func anObjectOfAnotherStackIsNeverAdopted() async throws {
        let h = try await Harness.start()
        _ = try await post(
            h, "credentials", #"{"description":"x","acl":["*"],"metadata":"{\"ngrokctl\":{\"ref\":\"Credential/x\",\"stack\":\"other\"}}"}"#)
        try h.write(Self.doc("Credential", "x", "description: x\nacl: [\"*\"]\nadopt: true"))
        let plan = try await h.plan()
        #expect(plan.operations.map(\.action) == [.create], "\(PlanRenderer.text(plan, color: false))")
        await h.stop()
    }
}
