import Foundation

/// The answer that hands a completed export's file to nginx (SECURITY rule 17): the caller has
/// authorized the download (API token or browser session); nginx serves the file from its
/// internal location, so the responder never streams it.
enum ExportDownload {
    static func response(_ job: ExportJob, name: String, files: JobFiles) throws -> Response {
        guard job.status == .completed, let path = job.filePath, path.hasPrefix("exports/") else {
            throw DomainError.conflict("The export is \(job.status.rawValue); its file can be downloaded once it has completed.")
        }
        guard FileManager.default.fileExists(atPath: files.absolute(path)) else {
            throw DomainError.conflict("The export's file has expired (retention); start a new export.")
        }
        return Response(status: 200, headers: [
            ("Content-Type", job.options.mediaType),
            ("Content-Disposition", "attachment; filename=\"\(name).\(job.options.suffix)\""),
            ("X-Accel-Redirect", ExportController.protectedLocation + path.dropFirst("exports/".count)),
        ])
    }
}
