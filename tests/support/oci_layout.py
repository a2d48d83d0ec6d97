"""Reads an OCI image layout directory (oci-layout, index.json, blobs/): its index and one image
in it (the index's first manifest, or the one named by digest, as in a multi-arch layout): its
manifest, config and the files of its single layer. Python stdlib only."""
import gzip
import io
import json
import os
import tarfile


class Layout:
    """The image of `path`. The layer is read to its end, so a layer tar without its
    end-of-archive blocks (or any other truncation) raises tarfile.ReadError here."""

    def __init__(self, path, manifest_digest=None):
        self.path = path
        with open(os.path.join(path, "index.json")) as f:
            self.index = json.load(f)
        digest = manifest_digest or self.index["manifests"][0]["digest"]
        self.manifest = json.loads(self.blob(digest))
        self.config = json.loads(self.blob(self.manifest["config"]["digest"]))
        if len(self.manifest["layers"]) != 1:
            raise ValueError(f"{path}: {len(self.manifest['layers'])} layers, expected 1")
        self.members = {}  # path without leading "/" -> TarInfo
        self.files = {}    # path -> bytes, regular files only
        layer = self.blob(self.manifest["layers"][0]["digest"])
        with tarfile.open(fileobj=gzip.GzipFile(fileobj=io.BytesIO(layer))) as t:
            for member in t.getmembers():
                self.members[member.name.strip("/")] = member
                if member.isreg():
                    self.files[member.name.strip("/")] = t.extractfile(member).read()

    def blob(self, digest):
        with open(os.path.join(self.path, "blobs", *digest.split(":")), "rb") as f:
            return f.read()

    def file(self, path):
        """The bytes of regular file `path` in the layer."""
        return self.files[path.strip("/")]
