import ArgumentParser
import Models
import Storage

extension ServiceCommand {
    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offer", abstract: "Offer a catalogue service at a site, so that it can be booked there (admin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Service slug, e.g. dn-30.") var slug: String
        @Option(help: ArgumentHelp("Site to offer it at, by code, e.g. QC.", valueName: "code")) var site: String

        func run() throws {
            let session = try global.open()
            let offered = try session.acting.offerService(slug: slug, siteCode: site)
            struct View: Encodable { let service: String, site: String, added: Bool }
            try session.emit(View(service: offered.service.slug, site: offered.site.code, added: offered.added)) {
                offered.added ? "Service '\(offered.service.slug)' is now offered at \(offered.site.code)"
                              : "Service '\(offered.service.slug)' was already offered at \(offered.site.code); nothing changed"
            }
        }
    }
}
