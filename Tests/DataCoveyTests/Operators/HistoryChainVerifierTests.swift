import XCTest
@testable import DataCovey

/// `HistoryChain.verify` on made-up links (the hashes here are labels: the database computes
/// the real ones, and `computed` is what it found for the row).
final class HistoryChainVerifierTests: XCTestCase {
    private func link(_ seq: UInt64, prev: String, hash: String, computed: String? = nil, id: Int64? = nil,
                      chain: String = "") -> HistoryChain.Link {
        HistoryChain.Link(table: "project_history", historyID: id ?? Int64(seq) * 10, chain: chain, seq: seq, prev: prev,
                          hash: hash, computed: computed ?? hash)
    }

    private let g = HistoryChain.genesis

    func testAWholeChainHoldsAndEveryKindOfBreakIsNamed() {
        let chain = [link(1, prev: g, hash: "a"), link(2, prev: "a", hash: "b"), link(3, prev: "b", hash: "c")]
        let head = HistoryChain.Head(chain: "", seq: 3, hash: "c", checkpoint: nil)
        let whole = HistoryChain.verify(tenantID: 7, links: chain, heads: [head])
        XCTAssertTrue(whole.isValid)
        XCTAssertEqual(whole.entries, 3)
        XCTAssertEqual(whole.head, "c")

        var edited = chain
        edited[1] = link(2, prev: "a", hash: "b", computed: "b2")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: edited, heads: [head]).firstBreak,
                       .init(table: "project_history", historyID: 20, chain: "", seq: 2, expected: "b2", stored: "b",
                             reason: "the row does not hash to its stored hash (the row was changed)"))

        // Rehashed after the edit: the next link no longer follows it.
        var rehashed = chain
        rehashed[1] = link(2, prev: "a", hash: "b2")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: rehashed, heads: [head]).firstBreak?.historyID, 30)

        let holey = [chain[0], chain[2]]
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: holey, heads: [head]).firstBreak?.reason, "link 2 is missing (deleted)")

        let forked = [chain[0], chain[1], link(2, prev: "a", hash: "x", id: 99), chain[2]]
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: forked, heads: [head]).firstBreak?.historyID, 99)

        let cut = Array(chain.prefix(2))
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: cut, heads: [head]).firstBreak?.reason,
                       "links 3…3 are missing (the head is at 3)")
        XCTAssertFalse(HistoryChain.verify(tenantID: 7, links: chain, heads: []).isValid, "links without a head")
        XCTAssertTrue(HistoryChain.verify(tenantID: 7, links: [], heads: []).isValid, "no history yet")
    }

    func testAfterAPurgeTheChainStartsAtItsCheckpointAndTheKeptLinksAreCovered() {
        // Links 2 and 4 were purged; 1 and 3 (newest versions of their objects) stayed.
        let kept = [link(1, prev: g, hash: "a"), link(3, prev: "b", hash: "c")]
        let rest = [link(5, prev: "d", hash: "e"), link(6, prev: "e", hash: "f")]
        let checkpoint = HistoryChain.Checkpoint(seq: 4, hash: "d", keptDigest: HistoryChain.keptDigest([(1, "a"), (3, "c")]),
                                                 keptLinks: 2)
        let head = HistoryChain.Head(chain: "", seq: 6, hash: "f", checkpoint: checkpoint)
        XCTAssertTrue(HistoryChain.verify(tenantID: 7, links: kept + rest, heads: [head]).isValid)
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: [kept[0]] + rest, heads: [head]).firstBreak?.seq, 4,
                       "a kept link removed")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: [kept[0], link(3, prev: "b", hash: "c9")] + rest, heads: [head])
            .firstBreak?.seq, 4, "a kept link rehashed")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: kept + [link(5, prev: "x", hash: "e"), rest[1]], heads: [head])
            .firstBreak?.reason, "the link does not follow the previous link's hash")
    }

    /// A cluster that wrote through two nodes has a chain per node (sql/0026): each is checked
    /// on its own, and a link moved from one chain to the other breaks both.
    func testEachWriterNodesChainIsCheckedOnItsOwn() {
        let one = [link(1, prev: g, hash: "a", chain: "node1"), link(2, prev: "a", hash: "b", chain: "node1")]
        let two = [link(1, prev: g, hash: "x", id: 11, chain: "node2"), link(2, prev: "x", hash: "y", id: 21, chain: "node2")]
        let heads = [HistoryChain.Head(chain: "node2", seq: 2, hash: "y", checkpoint: nil),
                     HistoryChain.Head(chain: "node1", seq: 2, hash: "b", checkpoint: nil)]
        let whole = HistoryChain.verify(tenantID: 7, links: two + one, heads: heads)
        XCTAssertTrue(whole.isValid)
        XCTAssertEqual(whole.entries, 4)
        XCTAssertEqual(whole.heads.map(\.chain), ["node1", "node2"], "heads in chain order")
        XCTAssertEqual(whole.head, HistoryChain.combinedHead(heads))
        XCTAssertEqual(HistoryChain.combinedHead(heads), HistoryChain.combinedHead(heads.reversed()), "order does not matter")
        XCTAssertNotEqual(whole.head, HistoryChain.combinedHead([heads[0], HistoryChain.Head(chain: "node1", seq: 2, hash: "c", checkpoint: nil)]))

        // node1's second link claimed for node2: node1 misses it, node2 has seq 2 twice.
        let moved = [one[0], link(2, prev: "a", hash: "b", chain: "node2")] + two
        let broken = HistoryChain.verify(tenantID: 7, links: moved, heads: heads).firstBreak
        XCTAssertEqual(broken?.chain, "node1")
        XCTAssertEqual(broken?.reason, "links 2…2 are missing (the head is at 2)")
        XCTAssertEqual(HistoryChain.verify(tenantID: 7, links: moved, heads: heads).firstBreak?.description,
                       "the chain's end (chain node1 seq 1): links 2…2 are missing (the head is at 2); expected b, stored a")

        let headless = HistoryChain.verify(tenantID: 7, links: one + two, heads: [heads[1]]).firstBreak
        XCTAssertEqual(headless, .init(table: "project_history", historyID: 11, chain: "node2", seq: 1, expected: "a chain head",
                                       stored: "none", reason: "the chain's head is missing"))
    }
}
