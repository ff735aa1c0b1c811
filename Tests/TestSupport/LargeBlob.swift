import Foundation

/// Large objects and memory measurements for the bounded-read tests.
public enum LargeBlob {
    /// Writes a loose blob of `size` zero bytes straight into `gitDir`'s object store (streamed:
    /// never `size` bytes in memory) and returns its id.
    public static func writeZeros(gitDir: String, size: Int) throws -> String {
        let script = """
            import hashlib, os, sys, zlib
            git_dir, size = sys.argv[1], int(sys.argv[2])
            header = b"blob %d\\0" % size
            digest, deflate = hashlib.sha1(header), zlib.compressobj(1)
            out = [deflate.compress(header)]
            chunk, left = bytes(1 << 20), size
            while left:
                part = chunk if left >= len(chunk) else chunk[:left]
                digest.update(part)
                out.append(deflate.compress(part))
                left -= len(part)
            out.append(deflate.flush())
            oid = digest.hexdigest()
            directory = os.path.join(git_dir, "objects", oid[:2])
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, oid[2:]), "wb") as f:
                f.write(b"".join(out))
            print(oid)
            """
        return try GitFixture.run("/usr/bin/python3", ["-c", script, gitDir, String(size)], in: gitDir)
    }

    /// The process's peak resident set size (VmHWM), in bytes.
    public static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return (Int(digits) ?? 0) * 1024
        }
        return 0
    }

    /// Resets the peak to the current resident size (Linux `clear_refs` 5); false when not allowed.
    @discardableResult
    public static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }
}
