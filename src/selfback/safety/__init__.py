"""Crisis resources, the sos screen and the personal safety plan."""
