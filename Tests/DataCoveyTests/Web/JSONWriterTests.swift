@testable import DataCovey
import Foundation
import XCTest

/// The hand-written JSON of the hot list resources gives exactly JSONEncoder's bytes.
final class JSONWriterTests: XCTestCase {
    private func written(_ value: some JSONWritable) -> String {
        var writer = JSONWriter()
        value.writeJSON(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func testProjectsAndDatasetsMatchTheEncoder() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000.123)
        let awkward = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} ünïcødé ✓ \u{1F600}"
        for description in [nil, "", awkward] as [String?] {
            let project = Project(id: 1, name: "sales", description: description, createdBy: description == nil ? nil : 7,
                                  version: 3, createdAt: now, updatedAt: now.addingTimeInterval(1.5))
            XCTAssertEqual(written(project), String(decoding: try JSON.encode(project), as: UTF8.self))
            let dataset = Dataset(id: Int64.max, projectID: 1, name: "raw", description: description, createdBy: -1, version: 1,
                                  createdAt: now, updatedAt: now, dataDatabase: "dcd_1")
            XCTAssertEqual(written(dataset), String(decoding: try JSON.encode(dataset), as: UTF8.self))
            for fetched in [[dataset, dataset], [dataset], []] {
                let page = ListPage(fetched: fetched, page: Page(limit: 1), id: \.id)
                XCTAssertEqual(written(page), String(decoding: try JSON.encode(page), as: UTF8.self))
            }
        }
    }
}
