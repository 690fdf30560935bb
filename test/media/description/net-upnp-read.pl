#!/usr/bin/perl
# Reads a UPnP device with Net::UPnP (libnet-upnp-perl), a regex-based control point like the
# ones in much TV firmware, and prints what it saw as JSON. No SSDP: the LOCATION header it
# would have received is handed to it. Usage: net-upnp-read.pl <description URL>
use strict;
use warnings;
use HTTP::Tiny;
use JSON::PP;
use Net::UPnP::Device;
use Net::UPnP::Service;

my $location = shift @ARGV or die "usage: $0 <description URL>\n";
my $response = HTTP::Tiny->new(timeout => 10)->get($location);
die "GET $location: $response->{status}\n" unless $response->{success};

my $device = Net::UPnP::Device->new();
$device->setssdp("HTTP/1.1 200 OK\r\nLOCATION: $location\r\n\r\n");
$device->setdescription($response->{content});

my @services;
for my $service ($device->getservicelist()) {
    push @services, {
        serviceType => $service->getservicetype(),
        serviceId => $service->getserviceid(),
        scpdUrl => $service->getscpdurl(),
        controlUrl => $service->getcontrolurl(),
        eventSubUrl => $service->geteventsuburl(),
        postUrl => $service->getposturl(),
    };
}

sub call {
    my ($type, $action, $args) = @_;
    my $service = $device->getservicebyname($type) or die "no service $type\n";
    my $reply = $service->postaction($action, $args);
    return { status => $reply->getstatuscode(), out => $reply->getargumentlist() };
}

print JSON::PP->new->canonical->pretty->encode({
    deviceType => $device->getdevicetype(),
    friendlyName => $device->getfriendlyname(),
    udn => $device->getudn(),
    modelName => $device->getmodelname(),
    services => \@services,
    calls => [
        call("urn:schemas-upnp-org:service:ConnectionManager:1", "GetCurrentConnectionIDs", {}),
        call("urn:schemas-upnp-org:service:ConnectionManager:1", "GetCurrentConnectionInfo", { ConnectionID => 0 }),
        call("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", "IsAuthorized", { DeviceID => "" }),
        call("urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1", "IsAuthorized", {}),
    ],
});
