/**
 * HAND-MADE Trivy reports in Trivy's published JSON format
 * (`trivy image --format json`, SchemaVersion 2: ArtifactName, Metadata.ImageID,
 * Results[].Target/Class/Type/Vulnerabilities[] with VulnerabilityID, PkgName,
 * InstalledVersion, FixedVersion, Severity, Title), trimmed to the fields a
 * real report has around the ones the portal reads. Not output of a real scan.
 */
export const IMAGE_ID =
  'sha256:3f1d7c0a9b8e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a291807f6e5d4';

export function handMadeTrivyReport(
  overrides: { imageId?: string; extraCritical?: boolean } = {},
) {
  return {
    SchemaVersion: 2,
    CreatedAt: '2026-12-02T10:00:00.000000000Z',
    ArtifactName: 'ghcr.io/mana/chat-backend:main-abc1234',
    ArtifactType: 'container_image',
    Metadata: {
      OS: { Family: 'debian', Name: '12.5' },
      ImageID: overrides.imageId ?? IMAGE_ID,
      DiffIDs: [],
      RepoTags: ['ghcr.io/mana/chat-backend:main-abc1234'],
      RepoDigests: [],
    },
    Results: [
      {
        Target: 'ghcr.io/mana/chat-backend:main-abc1234 (debian 12.5)',
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: [
          {
            VulnerabilityID: 'CVE-2024-45491',
            PkgID: 'libexpat1@2.5.0-1',
            PkgName: 'libexpat1',
            InstalledVersion: '2.5.0-1',
            FixedVersion: '2.5.0-1+deb12u1',
            Status: 'fixed',
            SeveritySource: 'nvd',
            Title: 'libexpat: Integer Overflow or Wraparound',
            Severity: 'CRITICAL',
          },
          {
            VulnerabilityID: 'CVE-2023-50495',
            PkgName: 'libtinfo6',
            InstalledVersion: '6.4-4',
            Status: 'affected',
            Severity: 'MEDIUM',
          },
        ],
      },
      {
        Target: 'app/package-lock.json',
        Class: 'lang-pkgs',
        Type: 'npm',
        Vulnerabilities: [
          {
            VulnerabilityID: 'CVE-2024-21538',
            PkgName: 'cross-spawn',
            InstalledVersion: '7.0.3',
            FixedVersion: '7.0.5, 6.0.6',
            Severity: 'HIGH',
          },
          ...(overrides.extraCritical
            ? [
                {
                  VulnerabilityID: 'CVE-2025-00001',
                  PkgName: 'left-pad',
                  InstalledVersion: '1.0.0',
                  Severity: 'CRITICAL',
                },
              ]
            : []),
        ],
      },
      { Target: 'app/yarn.lock', Class: 'lang-pkgs', Type: 'yarn' },
    ],
  };
}
