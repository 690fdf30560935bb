#!/usr/bin/perl
# Net::UPnP::ControlPoint search for tests (inside the namespace): perl net-upnp-search.pl <ST> <MX>
# Net::UPnP sends the M-SEARCH itself, reads every answer until none comes for 2×MX seconds,
# fetches each LOCATION and parses the description. Prints one JSON list of the devices.
use strict;
use warnings;
use JSON::PP;
use Net::UPnP::ControlPoint;

my ($st, $mx) = @ARGV;
my @devices = Net::UPnP::ControlPoint->new->search(st => $st, mx => $mx);
my @found = map {
    {
        udn          => $_->getudn,
        deviceType   => $_->getdevicetype,
        friendlyName => $_->getfriendlyname,
        location     => $_->getlocation,
        services     => [ sort map { $_->getservicetype } $_->getservicelist ],
    }
} @devices;
print JSON::PP->new->canonical->encode(\@found), "\n";
