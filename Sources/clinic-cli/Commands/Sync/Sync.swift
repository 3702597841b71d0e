import ArgumentParser
import Models
import Storage
import Sync

/// `clinic sync`: exchange change logs with other sites, offline.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Exchange change logs with other sites; see what is sent, acknowledged and in conflict.",
        subcommands: [SyncExport.self, SyncImport.self, SyncStatusCommand.self, SyncConflicts.self, SyncQuarantine.self, SyncTrust.self,
                      SyncKey.self, SyncDigest.self])
}
