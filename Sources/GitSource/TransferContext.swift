import CGit2
import Foundation

/// The payload of libgit2's remote callbacks for one network operation. Lives on the blocking
/// thread for the duration of the call; only `flag` is shared with other threads.
final class TransferContext {
    let flag: CancellationFlag
    let deadline: ContinuousClock.Instant
    /// The URL as shown to people (no credentials).
    let url: String
    /// Where credentials may go: the configured remote (scheme, host and port).
    let remote: GitRemoteURL
    let username: String
    let token: String?
    let tokenSource: String
    let ssh: SSHSettings
    /// How many times libgit2 asked for credentials. libgit2 asks again after every rejection,
    /// so the second request means the first credential failed: give up.
    private(set) var credentialRequests = 0
    private(set) var failure: GitSourceError?
    private(set) var receivedObjects = 0

    /// The SSH key and the pinned host keys (both from the operator's configuration).
    struct SSHSettings {
        var keyFile: String?
        var knownHostsFile: String?
    }

    init(
        flag: CancellationFlag, deadline: ContinuousClock.Instant, url: String, remote: GitRemoteURL,
        username: String, token: String?, tokenSource: String, ssh: SSHSettings = SSHSettings()
    ) {
        self.flag = flag
        self.deadline = deadline
        self.url = URLRedaction.redact(url)
        self.remote = remote
        self.username = username
        self.token = token
        self.tokenSource = tokenSource
        self.ssh = ssh
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

    /// Answers libgit2's request for a credential. A token (https) or key (ssh) is offered only
    /// to the configured remote's scheme, host and port: never over plain http, never to
    /// another host a redirect or a crafted URL points at.
    func credential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, requestURL: String?, usernameFromURL: String?,
        allowedTypes: UInt32
    ) -> Int32 {
        credentialRequests += 1
        let asking = requestURL.map { GitRemoteURL(parsing: $0) } ?? remote
        guard asking.isSameServer(as: remote) else {
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): credentials requested by \(asking.scheme)://\(asking.host), which is not the configured remote; none sent")
            return GIT_EUSER.rawValue
        }
        if remote.isSSH {
            return sshCredential(out, usernameFromURL: usernameFromURL, allowedTypes: allowedTypes)
        }
        guard remote.scheme == "https" || (remote.scheme == "http" && remote.isLoopback) else {
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): the remote asks for credentials over \(remote.scheme.isEmpty ? "a local transport" : remote.scheme); a token is only sent over https (or http to a loopback address)")
            return GIT_EUSER.rawValue
        }
        guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): the remote asks for a credential type other than a username and token (https takes a token, ssh a key)")
            return GIT_EUSER.rawValue
        }
        // A token in the configured URL's user-info is used like one from the environment.
        let user = remote.user.flatMap { $0.isEmpty ? nil : $0 } ?? username
        let token = remote.password ?? self.token
        guard let token, !token.isEmpty else {
            failure = GitSourceError(.authenticationFailed, "\(url): authentication required; set \(tokenSource) to a token with read access")
            return GIT_EUSER.rawValue
        }
        guard credentialRequests == 1 else {
            let origin = remote.password != nil ? "the URL" : tokenSource
            failure = GitSourceError(.authenticationFailed, "\(url): authentication failed with the token from \(origin)")
            return GIT_EUSER.rawValue
        }
        return git_credential_userpass_plaintext_new(out, user, token)
    }

    private func sshCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, usernameFromURL: String?, allowedTypes: UInt32
    ) -> Int32 {
        let user = usernameFromURL.flatMap { $0.isEmpty ? nil : $0 } ?? remote.user ?? "git"
        if allowedTypes & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, user)
        }
        guard allowedTypes & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else {
            failure = GitSourceError(.authenticationFailed, "\(url): the SSH server does not accept public-key authentication")
            return GIT_EUSER.rawValue
        }
        guard let keyFile = ssh.keyFile, !keyFile.isEmpty else {
            failure = GitSourceError(
                .authenticationFailed, "\(url): the SSH remote needs a key; set git.sshKeyFile (--git-ssh-key) to a deploy key's private key file")
            return GIT_EUSER.rawValue
        }
        guard credentialRequests <= 2 else {
            // The key path is the operator's, not a secret; the key itself is never read here.
            failure = GitSourceError(.authenticationFailed, "\(url): the SSH server refused the key in \(keyFile) for user \(user)")
            return GIT_EUSER.rawValue
        }
        let publicKey = keyFile + ".pub"
        let hasPublic = FileManager.default.fileExists(atPath: publicKey)
        return git_credential_ssh_key_new(out, user, hasPublic ? publicKey : nil, keyFile, nil)
    }

    /// libgit2's certificate check. TLS certificates keep libgit2's own verdict; an SSH host key
    /// must be pinned in `knownHostsFile` (an unknown or changed key is refused, with its
    /// fingerprint in the error).
    func certificateCheck(_ cert: UnsafeMutablePointer<git_cert>, valid: Int32, host: String) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else { return GIT_PASSTHROUGH.rawValue }
        let hostkey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let fingerprint = SSHHostKey.fingerprint(hostkey)
        guard hostkey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostkey.hostkey, hostkey.hostkey_len > 0 else {
            failure = GitSourceError(.authenticationFailed, "\(url): the SSH host key of \(host) cannot be checked (\(fingerprint))")
            return GIT_ECERTIFICATE.rawValue
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostkey.hostkey_len))
        guard let knownHostsFile = ssh.knownHostsFile, !knownHostsFile.isEmpty else {
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): refusing the unpinned SSH host key of \(host) (\(fingerprint)); set git.knownHostsFile (--git-known-hosts) to a known_hosts file that lists it")
            return GIT_ECERTIFICATE.rawValue
        }
        let known: KnownHosts
        do { known = try KnownHosts(path: knownHostsFile) } catch {
            failure = error
            return GIT_ECERTIFICATE.rawValue
        }
        switch known.check(host: remote.host.isEmpty ? host : remote.host, port: remote.effectivePort ?? 22, key: key) {
        case .match:
            return 0
        case .unknown:
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): the SSH host key of \(host) (\(fingerprint)) is not in \(knownHostsFile); add it after checking the fingerprint")
        case .changed:
            failure = GitSourceError(
                .authenticationFailed,
                "\(url): the SSH host key of \(host) CHANGED: the server presented \(fingerprint), which differs from the key pinned in \(knownHostsFile); refusing to connect")
        }
        return GIT_ECERTIFICATE.rawValue
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
        callbacks.credentials = { out, url, usernameFromURL, allowed, payload in
            guard let payload else { return -1 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().credential(
                out, requestURL: url.map { String(cString: $0) }, usernameFromURL: usernameFromURL.map { String(cString: $0) },
                allowedTypes: allowed)
        }
        callbacks.certificate_check = { cert, valid, host, payload in
            guard let payload, let cert else { return -1 }
            return Unmanaged<TransferContext>.fromOpaque(payload).takeUnretainedValue().certificateCheck(
                cert, valid: valid, host: host.map { String(cString: $0) } ?? "")
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
