package main

// The IANA time zone database is built in, so schedule.timezone works in a
// container or chroot without /usr/share/zoneinfo (about 450 KB).
import _ "time/tzdata"
