/**
 * The public Last.fm datasets musicrec knows how to fetch, verify and import. Every figure here is
 * from the dataset's own README (HetRec's readme.txt; Òscar Celma's README of the 1K and 360K sets,
 * also on their Zenodo record 6090214) or was checked on the original HetRec release; what could
 * not be checked says so.
 */
import type { FormatName } from "../ingest/formats.js";

export type ArchiveKind = "zip" | "tar.gz";

/** What a file of the release must be, checked before anything is imported. */
export interface DatasetFile {
  /** File name in the archive (in whatever folder the archive puts it). */
  name: string;
  /** A release without this file is refused; optional files are checked only when present. */
  required: boolean;
  /** Lines before the first record. */
  headerLines: number;
  /** The documented number of records (lines after the header). */
  records?: number;
  /** SHA-256 of the file's bytes, where two independent copies agree on it. */
  sha256?: string;
  /**
   * SHA-256 of the records alone: the lines after the header, each ending in "\n" (CR dropped).
   * For files whose copies differ only in an edited header line or a missing last newline.
   */
  recordsSha256?: string;
  /** MD5 given by the README but never confirmed on a copy here: a mismatch is reported, not fatal. */
  documentedMd5?: string;
}

export interface PublicDataset {
  name: string;
  title: string;
  publisher: string;
  /** Items of the set: artists (play counts) or tracks (scrobbles). */
  level: "artist" | "track";
  homepage: string;
  archive: { file: string; kind: ArchiveKind; size: string };
  /** Official download locations, tried in order (MUSICREC_DATASETS_URL replaces them). */
  urls: string[];
  contents: string;
  /** The README's figures, shown by `datasets list`. */
  documented: string;
  licence: string;
  files: DatasetFile[];
  /** What to import from the verified folder: the folder itself (HetRec) or one of its files. */
  imports: { file: string | null; format: FormatName };
}

const CELMA_LICENCE =
  "Distributed with permission of Last.fm and made available for NON-COMMERCIAL use; for commercial use contact Last.fm " +
  "(partners [at] last [dot] fm); see Last.fm's terms of service.";

export const PUBLIC_DATASETS: readonly PublicDataset[] = [
  {
    name: "hetrec2011-lastfm-2k",
    title: "HetRec 2011 Last.fm-2k",
    publisher: "GroupLens, for the HetRec 2011 workshop; built at Universidad Autónoma de Madrid",
    level: "artist",
    homepage: "https://grouplens.org/datasets/hetrec-2011/",
    archive: { file: "hetrec2011-lastfm-2k.zip", kind: "zip", size: "a few MB (7.8 MB unpacked without the timestamps file; archive size not verified)" },
    urls: ["https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip"],
    contents: "per-user artist play counts, artist names, user tag assignments (with tag names), friend relations",
    documented: "1,892 users, 17,632 artists, 92,834 user–artist play counts, 11,946 tags, 186,479 tag assignments, 25,434 friend pairs",
    licence:
      "Made available for NON-COMMERCIAL use; for commercial use contact Last.fm (http://www.lastfm.com/about/contact). " +
      "Cite Last.fm and the HetRec 2011 workshop (Cantador, Brusilovsky, Kuflik, RecSys 2011).",
    files: [
      { name: "readme.txt", required: true, headerLines: 0, sha256: "44c38757b3a24e68e844ac60c97ba7fd8e0f691cf1b00e9cf6bd8854df0dd64a" },
      {
        name: "artists.dat",
        required: true,
        headerLines: 1,
        records: 17_632,
        recordsSha256: "e008f61a527c8fe0f75b8308446e3757109a8e80827d1538dd562ca255cbdde6",
      },
      {
        name: "user_artists.dat",
        required: true,
        headerLines: 1,
        records: 92_834,
        recordsSha256: "4a6e11a8ed543b132e2901f0e7f20cd41ae2b7b898661aefb7557abd2af6658a",
      },
      { name: "tags.dat", required: true, headerLines: 1, records: 11_946, sha256: "c815d7216101fd0ba9b9c59fa2a011998d2fd076e0064d281ec4153d95ae8095" },
      {
        name: "user_taggedartists.dat",
        required: true,
        headerLines: 1,
        records: 186_479,
        sha256: "c4a9ffae9ab47a9f9b2f0678ab1f7e5c1db4ca818837d8cddd1f5699c5bbf048",
      },
      {
        name: "user_friends.dat",
        required: true,
        headerLines: 1,
        records: 25_434,
        sha256: "0360883a3557776e04fdebda851f2e5dd23e796cad7059b968acdebd528d13fa",
      },
      // The same tag assignments with Unix-millisecond timestamps; not imported.
      { name: "user_taggedartists-timestamps.dat", required: false, headerLines: 1, records: 186_479 },
    ],
    imports: { file: null, format: "hetrec" },
  },
  {
    name: "lastfm-1k",
    title: "Last.fm Dataset - 1K users",
    publisher: "Òscar Celma, Universitat Pompeu Fabra (MTG)",
    level: "track",
    homepage: "http://ocelma.net/MusicRecommendationDataset/lastfm-1K.html",
    archive: { file: "lastfm-dataset-1K.tar.gz", kind: "tar.gz", size: "~642 MB (2.4 GB unpacked)" },
    urls: [
      "https://zenodo.org/records/6090214/files/lastfm-dataset-1K.tar.gz",
      "http://mtg.upf.edu/static/datasets/last.fm/lastfm-dataset-1K.tar.gz",
    ],
    contents: "every scrobble (user, timestamp, artist, track, with MusicBrainz ids) of nearly 1,000 users until 5 May 2009",
    documented: "19,150,868 scrobbles, 992 users; 107,528 artists with MBID, 69,420 without",
    licence: CELMA_LICENCE,
    files: [
      {
        name: "userid-timestamp-artid-artname-traid-traname.tsv",
        required: true,
        headerLines: 0,
        records: 19_150_868,
        documentedMd5: "64747b21563e3d2aa95751e0ddc46b68",
      },
      { name: "README.txt", required: false, headerLines: 0 },
    ],
    imports: { file: "userid-timestamp-artid-artname-traid-traname.tsv", format: "lfm1k" },
  },
  {
    name: "lastfm-360k",
    title: "Last.fm Dataset - 360K users",
    publisher: "Òscar Celma, Universitat Pompeu Fabra (MTG)",
    level: "artist",
    homepage: "http://ocelma.net/MusicRecommendationDataset/lastfm-360K.html",
    archive: { file: "lastfm-dataset-360K.tar.gz", kind: "tar.gz", size: "~543 MB (1.6 GB unpacked; third-party figures)" },
    urls: [
      "https://zenodo.org/records/6090214/files/lastfm-dataset-360K.tar.gz",
      "http://mtg.upf.edu/static/datasets/last.fm/lastfm-dataset-360K.tar.gz",
    ],
    contents: "each user's top artists with play counts (user.getTopArtists), users named by a SHA-1",
    documented: "17,559,530 user–artist play counts, 359,347 users; 186,642 artists with MBID, 107,373 without",
    licence: CELMA_LICENCE,
    files: [
      {
        name: "usersha1-artmbid-artname-plays.tsv",
        required: true,
        headerLines: 0,
        records: 17_559_530,
        documentedMd5: "be672526eb7c69495c27ad27803148f1",
      },
      { name: "README.txt", required: false, headerLines: 0 },
    ],
    imports: { file: "usersha1-artmbid-artname-plays.tsv", format: "lfm360k" },
  },
];

export function datasetNamed(name: string): PublicDataset | undefined {
  return PUBLIC_DATASETS.find((dataset) => dataset.name === name.trim().toLowerCase());
}
