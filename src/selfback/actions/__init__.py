"""The use cases: one module per thing a person does with selfback.

Each public function takes typed values (and the run's ``Env``, or just the ``Paths`` and
``Clock`` it needs) and returns a typed result, usually a frozen dataclass. It never
prints and never reads standard input: ``selfback.cli`` parses arguments and renders the
result, ``selfback.ui`` renders screens and asks questions, and an action that needs an
answer from the person in the middle takes a small callback protocol for it. User errors
are raised as ``selfback.errors.SelfbackError`` subclasses, one plain sentence each.

Actions may import the core packages (skills, walk, measures, safety, trackers, insights,
export, importer) and the store; nothing below them imports this package.
"""
