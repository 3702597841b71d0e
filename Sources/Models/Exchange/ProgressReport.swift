/// How long work (an import, an export) tells a watcher how far it has got: `done` units of `total`
/// (nil when the total is not known, as for standard input). Called on the working thread, now and then;
/// the watcher decides what to draw.
public typealias ProgressReport = (_ done: Int, _ total: Int?) -> Void
