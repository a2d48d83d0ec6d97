"""Test-time PKI: a CA and leaf certificates made with the openssl CLI in a temp dir.

Nothing here is committed: every test run generates fresh keys.
"""
import os
import subprocess
import tempfile


def _run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Pki:
    def __init__(self, root=None):
        self.dir = root or tempfile.mkdtemp(prefix="jk-pki-")
        self.ca_key = os.path.join(self.dir, "ca.key")
        self.ca_cert = os.path.join(self.dir, "ca.pem")
        _run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", self.ca_key, "-out", self.ca_cert, "-days", "2",
             "-subj", "/CN=jailkeeper test CA")
        self._serial = 1000

    def issue(self, name, sans=("DNS:localhost", "IP:127.0.0.1"), client=False, days=1):
        """Issues a leaf; returns (cert_path, key_path, serial_hex)."""
        self._serial += 1
        key = os.path.join(self.dir, f"{name}.key")
        csr = os.path.join(self.dir, f"{name}.csr")
        cert = os.path.join(self.dir, f"{name}.crt")
        ext = os.path.join(self.dir, f"{name}.ext")
        usage = "clientAuth" if client else "serverAuth"
        with open(ext, "w") as f:
            f.write(f"subjectAltName={','.join(sans)}\nextendedKeyUsage={usage}\n"
                    "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n")
        _run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", key, "-out", csr, "-subj", f"/CN={name}")
        _run("openssl", "x509", "-req", "-in", csr, "-CA", self.ca_cert, "-CAkey", self.ca_key,
             "-set_serial", str(self._serial), "-days", str(days), "-extfile", ext, "-out", cert)
        return cert, key, format(self._serial, "X")
