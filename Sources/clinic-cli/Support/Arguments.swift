import ArgumentParser
import Models

extension Discipline: ExpressibleByArgument {}
extension StaffRole: ExpressibleByArgument {}
extension Scope: ExpressibleByArgument {}
extension RoomKind: ExpressibleByArgument {}
