import NgrokModel

/// Figures of one snapshot read: calls per collection against the target of at most
/// ⌈N/100⌉ + 1 list calls per collection, and wall time.
public struct SnapshotBenchmarkReport: Sendable, Hashable, CustomStringConvertible {
    public var objects: Int
    public var objectsPerCollection: [APICollection: Int]
    /// GET attempts per collection (retries included).
    public var listCalls: [APICollection: Int]
    public var totalCalls: Int
    public var retries: Int
    public var wallSeconds: Double
    public var budgetWaitSeconds: Double
    /// Σ over collections of ⌈N/pageSize⌉ + 1.
    public var targetCalls: Int

    public var withinTarget: Bool { totalCalls <= targetCalls }

    public var description: String {
        var lines = [
            "snapshot: \(objects) objects, \(totalCalls) API calls (target ≤ \(targetCalls)), retries \(retries), "
                + "wall \(String(format2: wallSeconds)) s, budget wait \(String(format2: budgetWaitSeconds)) s"
        ]
        for collection in APICollection.allCases {
            lines.append(
                "  \(collection): \(objectsPerCollection[collection] ?? 0) objects, \(listCalls[collection] ?? 0) calls")
        }
        return lines.joined(separator: "\n")
    }
}

/// For `make bench`: reads a snapshot and reports its cost.
public enum SnapshotBenchmark {
    public static func run(
        _ client: NgrokClient, collections: Set<APICollection> = Set(APICollection.allCases)
    ) async throws -> (snapshot: LiveSnapshot, report: SnapshotBenchmarkReport) {
        let before = client.statistics
        let start = ContinuousClock.now
        let snapshot = try await client.snapshot(collections: collections)
        let elapsed = ContinuousClock.now - start
        let after = client.statistics
        var calls: [APICollection: Int] = [:]
        for collection in collections {
            calls[collection] =
                after.count(method: .get, collection: collection.path)
                - before.count(method: .get, collection: collection.path)
        }
        let counts = snapshot.counts.filter { collections.contains($0.key) }
        let page = client.configuration.pageSize
        let target = counts.values.reduce(0) { $0 + ($1 + page - 1) / page + 1 }
        let report = SnapshotBenchmarkReport(
            objects: snapshot.count, objectsPerCollection: counts, listCalls: calls,
            totalCalls: calls.values.reduce(0, +), retries: after.retries - before.retries,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            budgetWaitSeconds: after.budgetWaitSeconds - before.budgetWaitSeconds, targetCalls: target)
        return (snapshot, report)
    }
}

extension SnapshotBenchmark {
    /// Creates `objects` objects spread over the collections that need no certificates (credentials 30%,
    /// IP policies 20%, their rules 20%, whitelist entries 10%, endpoint configurations 10%, reserved
    /// addresses 10%), each marked as owned by `stack`. Returns them as created. For benchmarks and tests.
    public static func seed(
        _ client: NgrokClient, objects: Int, stack: String = "bench", concurrency: Int = 8
    ) async throws -> [LiveObject] {
        let policies = max(1, objects * 2 / 10)
        let rules = objects * 2 / 10
        let whitelist = objects / 10
        let configurations = objects / 10
        let addrs = objects / 10
        let credentials = max(0, objects - policies - rules - whitelist - configurations - addrs)
        @Sendable func marker(_ kind: Kind, _ name: String) -> String {
            OwnershipMarker(stack: stack, address: ResourceAddress(kind, name)).encoded
        }
        @Sendable func octets(_ i: Int) -> String { "\(10 + i / 65536 % 200).\(i / 256 % 256).\(i % 256)" }

        var jobs: [@Sendable () async throws -> LiveObject] = []
        for i in 0..<credentials {
            jobs.append {
                var created = try await client.create(Credential.self, CredentialCreate(metadata: marker(.credential, "c\(i)")))
                created.token = nil
                return .credential(created)
            }
        }
        for i in 0..<whitelist {
            jobs.append {
                .ipWhitelistEntry(
                    try await client.create(
                        IPWhitelistEntry.self,
                        IPWhitelistEntryCreate(metadata: marker(.ipWhitelistEntry, "w\(i)"), ipNet: "\(octets(i)).0/24")))
            }
        }
        for i in 0..<configurations {
            jobs.append {
                .endpointConfiguration(
                    try await client.create(
                        EndpointConfiguration.self,
                        EndpointConfigurationCreate(
                            type: .https, metadata: marker(.endpointConfiguration, "e\(i)"),
                            compression: EndpointCompression())))
            }
        }
        for i in 0..<addrs {
            jobs.append {
                .reservedAddr(
                    try await client.create(
                        ReservedAddr.self, ReservedAddrCreate(metadata: marker(.reservedAddress, "a\(i)"), region: "us")))
            }
        }
        var created = try await runAll(jobs, concurrency: concurrency)
        let policyObjects = try await runAll(
            (0..<policies).map { i in
                { @Sendable in
                    LiveObject.ipPolicy(
                        try await client.create(
                            IPPolicy.self, IPPolicyCreate(metadata: marker(.ipPolicy, "p\(i)"), action: i % 2 == 0 ? .allow : .deny)))
                }
            }, concurrency: concurrency)
        created += policyObjects
        let policyIDs = policyObjects.map(\.id)
        created += try await runAll(
            (0..<rules).map { i in
                { @Sendable in
                    LiveObject.ipPolicyRule(
                        try await client.create(
                            IPPolicyRule.self,
                            IPPolicyRuleCreate(cidr: "\(octets(i)).1/32", ipPolicyID: policyIDs[i % policyIDs.count])))
                }
            }, concurrency: concurrency)
        return created
    }

    private static func runAll(
        _ jobs: [@Sendable () async throws -> LiveObject], concurrency: Int
    ) async throws -> [LiveObject] {
        try await withThrowingTaskGroup(of: LiveObject.self) { group in
            var results: [LiveObject] = []
            var next = 0
            for _ in 0..<min(concurrency, jobs.count) {
                let job = jobs[next]
                next += 1
                group.addTask { try await job() }
            }
            while let result = try await group.next() {
                results.append(result)
                if next < jobs.count {
                    let job = jobs[next]
                    next += 1
                    group.addTask { try await job() }
                }
            }
            return results
        }
    }
}
