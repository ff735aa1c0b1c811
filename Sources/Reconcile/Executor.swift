import Foundation
import Logging
import NgrokModel

/// Runs a plan's DAG against the API with bounded concurrency (the shared API budget is enforced
/// by the client underneath). On failure, dependents are skipped and independent branches finish.
public struct Executor: Sendable {
    public enum Outcome: Sendable, Hashable {
        case succeeded(objectID: String?)
        case failed(String)
        case skipped(String)
    }

    public struct Event: Sendable {
        public enum Kind: Sendable { case started, finished(Outcome) }
        public var operation: PlanOperation
        public var kind: Kind
        public var elapsed: Duration
    }

    public struct Result: Sendable {
        public var outcomes: [Int: Outcome]
        public var elapsed: Duration
        public var succeeded: Int { outcomes.values.filter { if case .succeeded = $0 { true } else { false } }.count }
        public var failed: Int { outcomes.values.filter { if case .failed = $0 { true } else { false } }.count }
        public var skipped: Int { outcomes.values.filter { if case .skipped = $0 { true } else { false } }.count }
        public var ok: Bool { failed == 0 && skipped == 0 }
    }

    public var api: any ReconcileAPI
    public var concurrency: Int
    public var tokens: TokenSink?
    public var logger: Logger
    /// How many times a create is attempted when its outcome stays unknown.
    public var createAttempts = 3

    public init(api: any ReconcileAPI, concurrency: Int, tokens: TokenSink?, logger: Logger) {
        self.api = api
        self.concurrency = max(1, concurrency)
        self.tokens = tokens
        self.logger = logger
    }

    public func execute(_ plan: Plan, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let ids = IDRegistry()
        var outcomes: [Int: Outcome] = [:]
        var pending = Dictionary(uniqueKeysWithValues: plan.operations.map { ($0.id, $0) })
        var running = 0
        await withTaskGroup(of: (Int, Outcome).self) { group in
            func startReady() {
                let ready = pending.values.filter { op in
                    op.dependsOn.allSatisfy { if case .succeeded? = outcomes[$0] { true } else { false } }
                }.sorted { $0.id < $1.id }
                for op in ready where running < concurrency {
                    pending[op.id] = nil
                    running += 1
                    onEvent(Event(operation: op, kind: .started, elapsed: clock.now - start))
                    group.addTask {
                        (op.id, await self.run(op, ids: ids, preexisting: plan.preexistingIDs))
                    }
                }
            }
            func skipBlocked() {
                var changed = true
                while changed {
                    changed = false
                    for op in pending.values.sorted(by: { $0.id < $1.id }) {
                        let blocker = op.dependsOn.first { dep in
                            switch outcomes[dep] {
                            case .failed?, .skipped?: true
                            default: false
                            }
                        }
                        guard let blocker else { continue }
                        let reason = "depends on operation \(blocker), which did not complete"
                        outcomes[op.id] = .skipped(reason)
                        pending[op.id] = nil
                        onEvent(Event(operation: op, kind: .finished(.skipped(reason)), elapsed: clock.now - start))
                        changed = true
                    }
                }
            }
            startReady()
            while let (id, outcome) = await group.next() {
                running -= 1
                outcomes[id] = outcome
                if let op = plan.operations.first(where: { $0.id == id }) {
                    onEvent(Event(operation: op, kind: .finished(outcome), elapsed: clock.now - start))
                }
                skipBlocked()
                startReady()
            }
        }
        return Result(outcomes: outcomes, elapsed: clock.now - start)
    }

    func run(_ op: PlanOperation, ids: IDRegistry, preexisting: Set<String>) async -> Outcome {
        do {
            switch op.action {
            case .create, .rotate:
                let id = try await create(op, ids: ids, preexisting: preexisting)
                if op.subject == .object { await ids.set(op.address, id) }
                return .succeeded(objectID: id)
            default:
                let objectID = try objectID(op)
                let path = "/\(op.request.collection)/\(objectID)\(op.request.suffix)"
                let body = try await body(of: op, ids: ids)
                try removeTokenFiles(before: op)
                do {
                    _ = try await api.send(method: op.request.method, path: path, body: body)
                } catch let error as ReconcileAPIError where op.request.method == "DELETE" && error.status == 404 {
                    // Already gone (a retry after a lost response, or deleted by hand): done.
                }
                return .succeeded(objectID: objectID)
            }
        } catch {
            logger.debug("operation failed", metadata: ["operation": "\(op.id)", "target": "\(op.target)"])
            return .failed(String(describing: error))
        }
    }

    /// Every operation but a create acts on an object that exists when the plan is made.
    func objectID(_ op: PlanOperation) throws -> String {
        guard let id = op.request.objectID else { throw WireValue.ResolutionError.unresolvedReference(op.address) }
        return id
    }

    func body(of op: PlanOperation, ids: IDRegistry) async throws -> [UInt8]? {
        guard let body = op.request.body else { return nil }
        let known = await ids.all()
        return try body.requestBody { known[$0] }
    }

    /// A create whose outcome is unknown is retried only after a list shows it did not happen
    /// (the ownership marker, or the rule's policy and CIDR, make this exact).
    func create(_ op: PlanOperation, ids: IDRegistry, preexisting: Set<String>) async throws -> String {
        let body = try await body(of: op, ids: ids)
        let path = "/\(op.request.collection)"
        var lastError: any Error = ReconcileAPIError.outcomeUnknown("no attempt made")
        for attempt in 1...createAttempts {
            do {
                let response = try await api.send(method: "POST", path: path, body: body)
                guard let id = response?["id"]?.stringValue else {
                    throw ReconcileAPIError.api(status: 0, code: nil, message: "create returned no id", operationID: nil)
                }
                if op.address.kind == .credential, op.subject == .object, let token = response?["token"]?.stringValue {
                    try await deliverToken(op, token: token, id: id)
                }
                return id
            } catch ReconcileAPIError.outcomeUnknown(let detail) {
                lastError = ReconcileAPIError.outcomeUnknown(detail)
                logger.info(
                    "create outcome unknown; checking whether it happened",
                    metadata: ["target": "\(op.target)", "attempt": "\(attempt)"])
                if let existing = try await findCreated(op, body: body, excluding: preexisting) {
                    if op.address.kind == .credential, op.subject == .object {
                        // The token exists only in the lost response: replace the credential.
                        _ = try? await api.send(method: "DELETE", path: "/credentials/\(existing)", body: nil)
                        continue
                    }
                    return existing
                }
            }
        }
        throw lastError
    }

    func findCreated(_ op: PlanOperation, body: [UInt8]?, excluding preexisting: Set<String>) async throws -> String? {
        let objects = try await api.listAll(op.request.collection).filter {
            !preexisting.contains($0["id"]?.stringValue ?? "")
        }
        switch op.subject {
        case .rule(let cidr):
            guard let body, let sent = try? WireValue(jsonText: body), let policy = sent["ip_policy_id"]?.stringValue else {
                return nil
            }
            return objects.first { object in
                guard case .object(let ref)? = object["ip_policy"] else { return false }
                return ref["id"]?.stringValue == policy && object["cidr"]?.stringValue == cidr
            }?["id"]?.stringValue
        default:
            let matches = objects.filter { object in
                guard let metadata = object["metadata"]?.stringValue, let marker = OwnershipMarker(metadata: metadata) else {
                    return false
                }
                return marker.address == op.address && (op.request.body?["metadata"]?.stringValue).flatMap {
                    OwnershipMarker(metadata: $0)
                }?.stack == marker.stack
            }
            return matches.max { ($0["created_at"]?.stringValue ?? "", $0["id"]?.stringValue ?? "") < ($1["created_at"]?.stringValue ?? "", $1["id"]?.stringValue ?? "") }?["id"]?.stringValue
        }
    }
}

/// IDs of objects created during an apply, for resolving references of later operations.
actor IDRegistry {
    private var ids: [ResourceAddress: String] = [:]
    func set(_ address: ResourceAddress, _ id: String) { ids[address] = id }
    func get(_ address: ResourceAddress) -> String? { ids[address] }
    func all() -> [ResourceAddress: String] { ids }
}
