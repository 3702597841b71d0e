import ArgumentParser
import Models
import Storage

/// `clinic site`: the site this database belongs to.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Show this site's settings; close it on a holiday.", subcommands: [Show.self, Closed.self], defaultSubcommand: Show.self)
}
