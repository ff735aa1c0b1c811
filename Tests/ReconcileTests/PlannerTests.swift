import NgrokModel
import Testing

@testable import Reconcile

/// Pure planner tests: hand-built stacks and live states, no I/O.
@Suite struct PlannerTests {
    static let loc = SourceLocation(file: "test.yaml", line: 1, column: 1)

    static func resource(_ kind: Kind, _ name: String, _ spec: ResourceSpec, common: CommonSpec = CommonSpec()) -> Resource {
        Resource(address: ResourceAddress(kind, name), source: SourceMap(document: loc), common: common, spec: spec)
    }

    static func stack(_ resources: [Resource], prune: Bool = true, tokenDirectory: String? = "/tmp/tokens") -> Stack {
        Stack(
            spec: StackSpec(name: "prod", source: SourceMap(document: loc), prune: prune, tokenDirectory: tokenDirectory),
            resources: resources, root: "/tmp")
    }

    static func marker(_ address: ResourceAddress, fp: String = "") -> String {
        OwnershipMarker(stack: "prod", address: address, fingerprint: fp).encoded
    }

    static func live(_ collection: String, _ json: String) -> LiveObject {
        LiveObject(collection: APICollection(rawValue: collection)!, json: try! WireValue(jsonText: Array(json.utf8)).objectValue)
    }

    static func planner(_ stack: Stack, _ objects: [LiveObject], options: PlanOptions = PlanOptions()) -> Planner {
        var byCollection: [APICollection: [LiveObject]] = [:]
        for o in objects { byCollection[o.collection, default: []].append(o) }
        return Planner(stack: stack, live: LiveState(objects: byCollection), secrets: [:], canonicalCIDR: { $0 }, options: options)
    }

    static let office = resource(.ipPolicy, "office", .ipPolicy(IPPolicySpec(rules: [.init(cidr: "10.0.0.0/8")])))
    static let officeEC = resource(
        .endpointConfiguration, "api",
        .endpointConfiguration(.init(type: .https, modules: .init(ipPolicy: .init(ipPolicies: ["office"])))))

    @Test func createsPolicyAndRulesBeforeTheConfigurationThatUsesIt() {
        let plan = Self.planner(Self.stack([Self.office, Self.officeEC]), []).plan()
        #expect(plan.errors.isEmpty)
        let policy = plan.operations.first { $0.address == Self.office.address && $0.subject == .object }!
        let rule = plan.operations.first { $0.subject == .rule(cidr: "10.0.0.0/8") }!
        let ec = plan.operations.first { $0.address == Self.officeEC.address }!
        #expect(rule.dependsOn.contains(policy.id))
        #expect(ec.dependsOn.contains(policy.id))
        #expect(ec.dependsOn.contains(rule.id))
        #expect(plan.summary.create == 2)
    }

    @Test func matchingLiveStateIsANoOp() {
        let policyAddress = Self.office.address
        let objects = [
            Self.live("ip_policies", #"{"id":"ipp_1","created_at":"2021-01-01T00:00:00Z","description":"","metadata":\#(quoted(Self.marker(policyAddress))),"action":"allow"}"#),
            Self.live("ip_policy_rules", #"{"id":"ipr_1","created_at":"2021-01-01T00:00:00Z","description":"","metadata":"","cidr":"10.0.0.0/8","ip_policy":{"id":"ipp_1","uri":"x"}}"#),
        ]
        let plan = Self.planner(Self.stack([Self.office]), objects).plan()
        #expect(plan.operations.isEmpty, "\(PlanRenderer.text(plan, color: false))")
    }

    @Test func ruleChangesAddBeforeTheyRemove() {
        let policyAddress = Self.office.address
        let objects = [
            Self.live("ip_policies", #"{"id":"ipp_1","created_at":"2021-01-01T00:00:00Z","metadata":\#(quoted(Self.marker(policyAddress))),"action":"allow"}"#),
            Self.live("ip_policy_rules", #"{"id":"ipr_1","created_at":"2021-01-01T00:00:00Z","cidr":"192.168.0.0/16","ip_policy":{"id":"ipp_1","uri":"x"}}"#),
        ]
        let plan = Self.planner(Self.stack([Self.office]), objects).plan()
        let add = plan.operations.first { $0.action == .create }!
        let remove = plan.operations.first { $0.action == .delete }!
        #expect(add.subject == .rule(cidr: "10.0.0.0/8"))
        #expect(remove.subject == .rule(cidr: "192.168.0.0/16"))
        #expect(remove.dependsOn.contains(add.id))
    }

    @Test func replacingAReferencedAuthorityCreatesRepointsThenDeletes() {
        let ca = Self.resource(.certificateAuthority, "devices", .certificateAuthority(.init(caPem: "NEW")))
        let ec = Self.resource(
            .endpointConfiguration, "mtls",
            .endpointConfiguration(.init(type: .https, modules: .init(mutualTls: .init(certificateAuthorities: ["devices"])))))
        let objects = [
            Self.live("certificate_authorities", #"{"id":"ca_old","created_at":"2021","ca_pem":"OLD\n","metadata":\#(quoted(Self.marker(ca.address)))}"#),
            Self.live("endpoint_configurations", #"{"id":"ec_1","created_at":"2021","type":"https","metadata":\#(quoted(Self.marker(ec.address))),"mutual_tls":{"enabled":true,"certificate_authorities":[{"id":"ca_old","uri":"x"}]}}"#),
        ]
        let plan = Self.planner(Self.stack([ca, ec]), objects).plan()
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        let create = plan.operations.first { $0.action == .create && $0.replacement }!
        let repoint = plan.operations.first { $0.action == .modulePut }!
        let delete = plan.operations.first { $0.action == .delete && $0.replacement }!
        #expect(repoint.dependsOn.contains(create.id))
        #expect(delete.dependsOn.contains(repoint.id))
        #expect(create.id < repoint.id && repoint.id < delete.id)
        #expect(plan.summary.replace == 1)
    }

    @Test func reservedDomainReplacementDeletesFirstAndIsDestructive() {
        let rd = Self.resource(.reservedDomain, "app", .reservedDomain(.init(domain: "new.example.com")))
        let objects = [
            Self.live("reserved_domains", #"{"id":"rd_1","created_at":"2021","domain":"old.example.com","region":"us","metadata":\#(quoted(Self.marker(rd.address)))}"#)
        ]
        let plan = Self.planner(Self.stack([rd]), objects).plan()
        let delete = plan.operations.first { $0.action == .delete }!
        let create = plan.operations.first { $0.action == .create }!
        #expect(delete.destructive)
        #expect(create.dependsOn.contains(delete.id))
    }

    @Test func pruneDetachesBeforeDeletingAConfiguration() {
        let rd = Self.resource(.reservedDomain, "app", .reservedDomain(.init(domain: "app.example.com")))
        let gone = ResourceAddress(.endpointConfiguration, "old")
        let objects = [
            Self.live("reserved_domains", #"{"id":"rd_1","created_at":"2021","domain":"app.example.com","region":"us","metadata":\#(quoted(Self.marker(rd.address))),"https_endpoint_configuration":{"id":"ec_old","uri":"x"}}"#),
            Self.live("endpoint_configurations", #"{"id":"ec_old","created_at":"2021","type":"https","metadata":\#(quoted(Self.marker(gone)))}"#),
        ]
        let plan = Self.planner(Self.stack([rd]), objects).plan()
        #expect(plan.errors.isEmpty, "\(plan.errors)")
        let detach = plan.operations.first { $0.action == .detach }!
        let delete = plan.operations.first { $0.action == .delete }!
        #expect(delete.dependsOn.contains(detach.id))
        #expect(detach.request.suffix == "/https_endpoint_configuration")
    }

    @Test func pruneOffLeavesObjectsAndRetainForgets() {
        let gone = ResourceAddress(.credential, "old")
        let kept = ResourceAddress(.credential, "kept")
        let objects = [
            Self.live("credentials", #"{"id":"cr_1","created_at":"2021","metadata":\#(quoted(Self.marker(gone))),"acl":[]}"#),
            Self.live("credentials", #"{"id":"cr_2","created_at":"2021","metadata":\#(quoted(OwnershipMarker(stack: "prod", address: kept, retain: true).encoded)),"acl":[]}"#),
        ]
        let off = Self.planner(Self.stack([], prune: false), objects).plan()
        #expect(off.operations.map(\.action) == [.forget])
        #expect(off.notes.count == 1)
        let on = Self.planner(Self.stack([], prune: true), objects).plan()
        #expect(Set(on.operations.map(\.action)) == [.forget, .delete])
    }

    @Test func duplicatesKeepTheOldest() {
        let cred = Self.resource(.credential, "device", .credential(.init(acl: ["*"])))
        let objects = [
            Self.live("credentials", #"{"id":"cr_2","created_at":"2021-02","metadata":\#(quoted(Self.marker(cred.address))),"acl":["*"]}"#),
            Self.live("credentials", #"{"id":"cr_1","created_at":"2021-01","metadata":\#(quoted(Self.marker(cred.address))),"acl":["*"]}"#),
        ]
        let plan = Self.planner(Self.stack([cred]), objects).plan()
        #expect(plan.operations.count == 1)
        #expect(plan.operations[0].action == .dedupe)
        #expect(plan.operations[0].request.objectID == "cr_2")
    }

    @Test func unownedDomainIsAConflictUnlessAdopted() {
        let rd = Self.resource(.reservedDomain, "app", .reservedDomain(.init(domain: "app.example.com")))
        let objects = [Self.live("reserved_domains", #"{"id":"rd_9","created_at":"2021","domain":"app.example.com","region":"us","metadata":""}"#)]
        let conflict = Self.planner(Self.stack([rd]), objects).plan()
        #expect(conflict.errors.count == 1)
        #expect(conflict.errors[0].message.contains("already reserved"))
        let adopting = Self.resource(.reservedDomain, "app", .reservedDomain(.init(domain: "app.example.com", adopt: true)))
        let adopt = Self.planner(Self.stack([adopting]), objects).plan()
        #expect(adopt.errors.isEmpty)
        #expect(adopt.operations.map(\.action) == [.adopt])
    }

    @Test func protectedResourcesAreNotPrunedOrReplaced() {
        let gone = ResourceAddress(.ipWhitelistEntry, "vpn")
        let objects = [
            Self.live("ip_whitelist", #"{"id":"wl_1","created_at":"2021","ip_net":"1.2.3.4/32","metadata":\#(quoted(OwnershipMarker(stack: "prod", address: gone, protect: true).encoded))}"#)
        ]
        let plan = Self.planner(Self.stack([]), objects).plan()
        #expect(plan.errors.count == 1)
        #expect(plan.operations.isEmpty)
    }

    @Test func excludeRefusesWhenADependencyIsExcluded() {
        let plan = Self.planner(
            Self.stack([Self.office, Self.officeEC]), [], options: PlanOptions(excludes: [Self.office.address])
        ).plan()
        #expect(plan.errors.contains { $0.message.contains("excluded") })
    }

    @Test func targetPullsInDependencies() {
        let other = Self.resource(.credential, "x", .credential(.init(acl: ["*"])))
        let plan = Self.planner(
            Self.stack([Self.office, Self.officeEC, other]), [], options: PlanOptions(targets: [Self.officeEC.address])
        ).plan()
        #expect(Set(plan.operations.map(\.address)) == [Self.office.address, Self.officeEC.address])
    }

    @Test func credentialCreateNeedsATokenDirectory() {
        let cred = Self.resource(.credential, "device", .credential(.init(acl: ["*"])))
        let plan = Self.planner(Self.stack([cred], tokenDirectory: nil), []).plan()
        #expect(plan.errors.first?.message.contains("token directory") == true)
    }
}

func quoted(_ s: String) -> String { WireValue.string(s).serialized() }

extension WireValue {
    var objectValue: [String: WireValue] {
        if case .object(let o) = self { return o }
        return [:]
    }
}
