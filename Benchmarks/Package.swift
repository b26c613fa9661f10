// swift-tools-version:6.1
// Micro-benchmarks of Switchyard's hot paths, on ordo-one's Benchmark package.
// A package of its own so the main package (and CI's `swift test`) never builds the benchmark
// tooling: run it from this folder with `swift package benchmark` (see README.md).
import PackageDescription

// A path dependency's identity is the last component of its folder (the checkout's name,
// e.g. `main` or `switchyard`), so it is derived here rather than spelled out.
let switchyardPackage = Context.packageDirectory
    .split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "switchyard"

let package = Package(
    name: "SwitchyardBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // The malloc interposer gives the malloc counters; the default traits would also pull in
        // the ARC runtime interposer, which this toolchain's package set does not carry.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SwitchyardBenchmarks",
            dependencies: [
                .product(name: "Switchyard", package: switchyardPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SwitchyardBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        )
    ]
)
