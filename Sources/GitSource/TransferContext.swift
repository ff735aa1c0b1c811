import CGit2

/// The payload of libgit2's remote callbacks for one network operation. Lives on the blocking
/// thread for the duration of the call; only `flag` is shared with other threads.
final class TransferContext {
    let flag: CancellationFlag
    let deadline: ContinuousClock.Instant
    let url: String
    let username: String
    let token: String?
    let tokenSource: String
    /// How many times libgit2 asked for credentials. libgit2 asks again after every rejection,
    /// so the second request means the first credential failed: give up.
    private(set) var credentialRequests = 0
    private(set) var failure: GitSourceError?
    private(set) var receivedObjects = 0

    init(flag: CancellationFlag, deadline: ContinuousClock.Instant, url: String, username: String, token: String?, tokenSource: String) {
        self.flag = flag
        self.deadline = deadline
        self.url = url
        self.username = username
        self.token = token
        self.tokenSource = tokenSource
    }

    /// Non-zero aborts the libgit2 operation.
    func shouldAbort() -> Int32 {
        if flag.isStopped { return -1 }
        if ContinuousClock.now >= deadline {
            flag.timeOut()
            return -1
        }
        return 0
    }

    func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, allowedTypes: UInt32) -> Int32 {
        credentialRequests += 1
        guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): the remote asks for a credential type other than a username and token (only https with a token is supported)")
            return GIT_EUSER.rawValue
        }
        guard let token, !token.isEmpty else {
            failure = GitSourceError(.authenticationFailed, "\(url): authentication required; set \(tokenSource) to a token with read access")
            return GIT_EUSER.rawValue
        }
        guard credentialRequests == 1 else {
            failure = GitSourceError(.authenticationFailed, "\(url): authentication failed with the token from \(tokenSource)")
            return GIT_EUSER.rawValue
        }
        return git_credential_userpass_plaintext_new(out, username, token)
    }

    func progress(_ stats: git_indexer_progress) -> Int32 {
        receivedObjects = Int(stats.received_objects)
        return shouldAbort()
    }

    /// The error to report for a failed libgit2 call, preferring what the callbacks recorded.
    func error(for code: Int32, operation: String) -> GitSourceError {
        if let failure { return failure }
        if flag.isStopped { return BlockingRunner.stoppedError(flag, operation) }
        let message = LibGit2.lastErrorMessage()
        return GitSourceError(.libgit2, "\(operation): \(message)", libgit2Code: code)
    }

    /// Callbacks wired to this context. The context must outlive every libgit2 call using them.
    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, _, allowed, payload in
            guard let payload else { return -1 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().credential(out, allowedTypes: allowed)
        }
        callbacks.transfer_progress = { stats, payload in
            guard let payload, let stats else { return 0 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().progress(stats.pointee)
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().shouldAbort()
        }
        callbacks.update_tips = { _, _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().shouldAbort()
        }
        callbacks.pack_progress = { _, _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().shouldAbort()
        }
        return callbacks
    }
}
