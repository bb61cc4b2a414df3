import Foundation

/// Helpers shared by the fixtures, configuration and logging tests.
enum FixtureTestSupport {
    /// Runs `body` with a fresh temporary directory, deleted afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("membersync-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// The repository's root directory, found from this file's path.
    static func repositoryRoot(filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath)
            .deletingLastPathComponent()  // Fixtures
            .deletingLastPathComponent()  // MemberSyncTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
    }
}
