import { checkSubnet, PLANNED_SUBNETS, spareCapacity } from './networkPlan';

describe("the estate's network plan", () => {
  it('has three availability-zone /24s per tier, none in a spare block', () => {
    expect(PLANNED_SUBNETS.map(s => s.cidr)).toEqual([
      '10.6.1.0/24',
      '10.6.2.0/24',
      '10.6.3.0/24',
      '10.4.1.0/24',
      '10.4.2.0/24',
      '10.4.3.0/24',
      '10.2.1.0/24',
      '10.2.2.0/24',
      '10.2.3.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
      '10.0.3.0/24',
    ]);
    expect(spareCapacity('database')[0]).toBe('10.2.0.0/24');
  });

  it('accepts a subnet in its tier spare /24 and counts the 5 reserved addresses', () => {
    expect(
      checkSubnet({
        field: 'subnet.cidr',
        cidr: '10.2.0.0/26',
        tier: 'database',
      }),
    ).toEqual({
      cidr: '10.2.0.0/26',
      tier: 'database',
      addresses: 64,
      usableAddresses: 59,
      firstUsable: '10.2.0.4',
      lastUsable: '10.2.0.62',
    });
    expect(
      checkSubnet({ field: 'f', cidr: '10.5.2.0/24', tier: 'app' })
        .usableAddresses,
    ).toBe(251);
  });

  it.each([
    ['not a CIDR', '10.2.0.0', /must be an IPv4 CIDR/],
    ['garbage', '../../etc', /must be an IPv4 CIDR/],
    ['outside the VPC', '10.9.0.0/24', /outside the VPC 10.0.0.0\/13/],
    [
      'overlapping an AZ subnet',
      '10.2.1.0/25',
      /overlaps 10.2.1.0\/24 \(database subnet, availability zone 1\)/,
    ],
    [
      'overlapping a whole tier',
      '10.2.0.0/22',
      /between a \/16 and a \/28|overlaps/,
    ],
    ['not aligned', '10.2.0.10/26', /not aligned.*10.2.0.0\/26/],
    ['too small', '10.2.0.0/29', /between a \/16 and a \/28/],
    [
      'in another tier',
      '10.4.0.0/26',
      /not in the spare capacity of the database tier/,
    ],
  ])('rejects a subnet %s', (_, cidr, message) => {
    expect(() =>
      checkSubnet({ field: 'subnet.cidr', cidr, tier: 'database' }),
    ).toThrow(message);
  });

  it('rejects a subnet overlapping one already in the repository', () => {
    expect(() =>
      checkSubnet({
        field: 'subnet.cidr',
        cidr: '10.2.0.64/26',
        tier: 'database',
        existing: ['10.2.0.0/25'],
      }),
    ).toThrow(
      /subnet.cidr 10.2.0.64\/26 overlaps 10.2.0.0\/25, already declared/,
    );
  });

  it('rejects a subnet too small for the hosts once reserved addresses are taken', () => {
    expect(() =>
      checkSubnet({
        field: 'subnet.cidr',
        cidr: '10.2.0.0/28',
        tier: 'database',
        hosts: 12,
      }),
    ).toThrow(
      /11 usable addresses \(16 less 5 reserved\), fewer than the 12 hosts/,
    );
    expect(
      checkSubnet({
        field: 'subnet.cidr',
        cidr: '10.2.0.0/28',
        tier: 'database',
        hosts: 11,
      }).usableAddresses,
    ).toBe(11);
  });
});
