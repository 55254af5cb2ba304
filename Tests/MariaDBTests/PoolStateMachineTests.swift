@testable import MariaDB
import XCTest

final class PoolStateMachineTests: XCTestCase {
    func testOpensUpToCapacityThenWaits() {
        var state = PoolStateMachine<String>(capacity: 2)
        guard case .connect = state.lease(), case .connect = state.lease() else { return XCTFail("expected two connects") }
        guard case .wait = state.lease() else { return XCTFail("a full pool makes the caller wait") }
        XCTAssertEqual(state.inUse, 2)
    }

    func testReleasedConnectionIsReusedMostRecentFirst() {
        var state = PoolStateMachine<String>(capacity: 3)
        _ = state.lease()
        _ = state.lease()
        XCTAssertEqual(state.release("a"), [])
        XCTAssertEqual(state.release("b"), [])
        guard case .reuse(let connection) = state.lease() else { return XCTFail("expected reuse") }
        XCTAssertEqual(connection, "b")
        XCTAssertEqual(state.idle, ["a"])
        XCTAssertEqual(state.total, 2)
    }

    func testBrokenConnectionFreesItsSlot() {
        var state = PoolStateMachine<String>(capacity: 1)
        _ = state.lease()
        XCTAssertEqual(state.release(nil), [])
        XCTAssertEqual(state.total, 0)
        guard case .connect = state.lease() else { return XCTFail("the freed slot opens a new connection") }
    }

    func testShutDownHandsBackIdleAndClosesLateReturns() {
        var state = PoolStateMachine<String>(capacity: 2)
        _ = state.lease()
        _ = state.lease()
        _ = state.release("idle")
        XCTAssertEqual(state.shutDown(), ["idle"])
        XCTAssertEqual(state.release("late"), ["late"])
        guard case .fail = state.lease() else { return XCTFail("no leases after shutdown") }
    }
}
