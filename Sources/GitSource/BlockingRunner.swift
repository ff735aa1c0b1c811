import Dispatch
import Synchronization

/// A flag a deadline timer or a cancelled task sets, and that libgit2's progress callbacks read
/// (on the blocking thread) to abort a transfer.
final class CancellationFlag: Sendable {
    private let state = Atomic<Int>(0)  // 0 running, 1 timed out, 2 cancelled

    func timeOut() { _ = state.compareExchange(expected: 0, desired: 1, ordering: .relaxed) }
    func cancel() { _ = state.compareExchange(expected: 0, desired: 2, ordering: .relaxed) }
    var isTimedOut: Bool { state.load(ordering: .relaxed) == 1 }
    var isCancelled: Bool { state.load(ordering: .relaxed) == 2 }
    var isStopped: Bool { state.load(ordering: .relaxed) != 0 }
}

/// Runs blocking libgit2 work on one serial dispatch queue (never on Swift's cooperative pool),
/// and returns to the caller by the deadline at the latest: when the deadline passes first, the
/// flag tells the libgit2 callbacks to abort and the caller gets `timedOut` immediately, even if
/// libgit2 is stuck in a read with no callback to interrupt it.
struct BlockingRunner: Sendable {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(
        deadline: ContinuousClock.Instant,
        operation: String,
        _ body: @escaping @Sendable (CancellationFlag) throws(GitSourceError) -> T
    ) async throws(GitSourceError) -> T {
        let flag = CancellationFlag()
        let once = ResumeOnce<T>()
        let result: Result<T, GitSourceError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, GitSourceError>, Never>) in
                once.install(continuation)
                let remaining = ContinuousClock.now.duration(to: deadline)
                if remaining <= .zero {
                    flag.timeOut()
                    once.resume(.failure(GitSourceError(.timedOut, "\(operation): deadline exceeded before start")))
                    return
                }
                queue.async {
                    if flag.isStopped {
                        once.resume(.failure(Self.stoppedError(flag, operation)))
                        return
                    }
                    let result: Result<T, GitSourceError>
                    do throws(GitSourceError) { result = .success(try body(flag)) } catch { result = .failure(error) }
                    once.resume(result)
                }
                let (seconds, attoseconds) = remaining.components
                let nanos = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
                DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(max(nanos, 0))) {
                    flag.timeOut()
                    once.resume(.failure(GitSourceError(.timedOut, "\(operation): timed out")))
                }
            }
        } onCancel: {
            flag.cancel()
            once.resume(.failure(GitSourceError(.cancelled, "\(operation): cancelled")))
        }
        return try result.get()
    }

    static func stoppedError(_ flag: CancellationFlag, _ operation: String) -> GitSourceError {
        flag.isCancelled
            ? GitSourceError(.cancelled, "\(operation): cancelled")
            : GitSourceError(.timedOut, "\(operation): timed out")
    }
}

/// A continuation resumed by whichever of the worker, the deadline timer or task cancellation
/// comes first; later resumptions are dropped. A resumption that arrives before the
/// continuation is installed is kept and delivered on install.
final class ResumeOnce<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<T, GitSourceError>, Never>?
        var pending: Result<T, GitSourceError>?
        var done = false
    }
    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<Result<T, GitSourceError>, Never>) {
        let pending: Result<T, GitSourceError>? = state.withLock { state in
            if let pending = state.pending, !state.done {
                state.done = true
                return pending
            }
            state.continuation = continuation
            return nil
        }
        if let pending { continuation.resume(returning: pending) }
    }

    func resume(_ result: Result<T, GitSourceError>) {
        let continuation: CheckedContinuation<Result<T, GitSourceError>, Never>? = state.withLock { state in
            guard !state.done else { return nil }
            guard let continuation = state.continuation else {
                if state.pending == nil { state.pending = result }
                return nil
            }
            state.done = true
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: result)
    }
}
