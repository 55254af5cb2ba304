import ArgumentParser
import Foundation

/// `--json`: a listing as one JSON array (snake_case keys, sorted), for scripts, instead of
/// tab-separated lines for people.
struct JSONOutput: ParsableArguments {
    @Flag(help: "Print a JSON array instead of tab-separated lines.") var json = false

    /// Prints `items` as JSON when asked, else each as the line `line` makes.
    func print<Item: Encodable>(_ items: [Item], line: (Item) -> String) throws {
        guard json else {
            for item in items { Swift.print(line(item)) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(items), as: UTF8.self))
    }
}
