// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "membersync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "membersync", targets: ["MemberSyncCLI"]),
        .executable(name: "bc-sandbox", targets: ["BCSandboxCLI"]),
        .executable(name: "membersync-demo", targets: ["MemberSyncDemo"]),
        .executable(name: "membersync-bench", targets: ["MemberSyncBench"]),
        .library(name: "MemberSync", targets: ["MemberSync"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "SQLiteDB", dependencies: ["CSQLite"]),
        .target(name: "MemberSync", dependencies: ["SQLiteDB"]),
        .executableTarget(name: "MemberSyncCLI", dependencies: ["MemberSync"]),
        .target(name: "BCSandbox", dependencies: ["SQLiteDB"]),
        .executableTarget(name: "BCSandboxCLI", dependencies: ["BCSandbox"]),
        .target(name: "MCTradeDemo", dependencies: ["SQLiteDB"], path: "fixtures/MCTradeDemo"),
        .executableTarget(
            name: "MemberSyncDemo",
            dependencies: ["MCTradeDemo", "SQLiteDB", "BCSandbox"],
            path: "fixtures/MemberSyncDemo"
        ),
        .executableTarget(
            name: "MemberSyncBench",
            dependencies: ["MemberSync", "MCTradeDemo", "BCSandbox", "SQLiteDB"],
            path: "Benchmarks/MemberSyncBench"
        ),
        .target(name: "ChildProcesses", path: "Tests/ChildProcesses"),
        .testTarget(name: "MemberSyncTests", dependencies: ["MemberSync", "MCTradeDemo", "SQLiteDB"]),
        .testTarget(name: "BCSandboxTests", dependencies: ["BCSandbox", "ChildProcesses"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MemberSync", "MCTradeDemo", "SQLiteDB", "BCSandbox", "ChildProcesses"]
        ),
    ]
)
