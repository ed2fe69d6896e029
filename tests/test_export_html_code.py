from selfback.export.html import e_code


def test_fixed_wording_shows_commands_as_code_and_still_escapes() -> None:
    assert e_code("run `selfback sos` <now>") == "run <code>selfback sos</code> &lt;now&gt;"
    assert "`" not in e_code("run `selfback sos` for lines")
