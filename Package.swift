// swift-tools-version:6.0
import PackageDescription

// Arrows point one way: executables -> DataCovey -> FastCGI, MariaDB -> C modules.
let package = Package(
    name: "DataCovey",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FastCGI", targets: ["FastCGI"]),
        .library(name: "MariaDB", targets: ["MariaDB"]),
        .executable(name: "datacovey-fcgi", targets: ["datacovey-fcgi"]),
        .executable(name: "datacovey-worker", targets: ["datacovey-worker"]),
        .executable(name: "datacovey-admin", targets: ["datacovey-admin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Server-rendered pages: logic-less templates, no dependencies of its own.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Metrics: the swift-metrics API in the code, Prometheus text exposition behind it.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        .systemLibrary(
            name: "CMariaDB",
            pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]
        ),
        .target(name: "FastCGI", dependencies: ["CFastCGI"]),
        .target(name: "MariaDB", dependencies: ["CMariaDB"]),
        .target(
            name: "DataCovey",
            dependencies: [
                "FastCGI",
                "MariaDB",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA (RS256) for Auth0 tokens; swift-crypto's home for non-CryptoKit algorithms.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // Compiled into the binary, so an installed responder needs no resource folder.
            resources: [
                .embedInCode("Resources/openapi.json"),
                .embedInCode("Resources/templates/layout.mustache"),
                .embedInCode("Resources/templates/signin.mustache"),
                .embedInCode("Resources/templates/signed_out.mustache"),
                .embedInCode("Resources/templates/dev_authorize.mustache"),
                .embedInCode("Resources/templates/projects.mustache"),
                .embedInCode("Resources/templates/project.mustache"),
                .embedInCode("Resources/templates/dataset.mustache"),
                .embedInCode("Resources/templates/table.mustache"),
                .embedInCode("Resources/templates/row.mustache"),
                .embedInCode("Resources/templates/job.mustache"),
                .embedInCode("Resources/templates/query.mustache"),
                .embedInCode("Resources/templates/users.mustache"),
                .embedInCode("Resources/templates/tokens.mustache"),
                .embedInCode("Resources/templates/audit.mustache"),
                .embedInCode("Resources/templates/history.mustache"),
                .embedInCode("Resources/templates/trash.mustache"),
                .embedInCode("Resources/templates/restore.mustache"),
                .embedInCode("Resources/templates/error.mustache"),
                .embedInCode("Resources/templates/runs.mustache"),
                .embedInCode("Resources/templates/run.mustache"),
                .embedInCode("Resources/templates/row_history.mustache"),
            ]
        ),
        .executableTarget(
            name: "datacovey-fcgi",
            dependencies: [
                "DataCovey",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "datacovey-worker",
            dependencies: [
                "DataCovey",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "datacovey-admin",
            dependencies: [
                "DataCovey",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets: wire-level FastCGI and HTTP clients, the test stack.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FastCGITests", dependencies: ["FastCGI", "TestSupport"]),
        .testTarget(name: "MariaDBTests", dependencies: ["MariaDB", "TestSupport"]),
        .testTarget(name: "DataCoveyTests", dependencies: ["DataCovey", "FastCGI", "MariaDB", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
