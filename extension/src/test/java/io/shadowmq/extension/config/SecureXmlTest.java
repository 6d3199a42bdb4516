package io.shadowmq.extension.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecureXmlTest {

    @Test
    void plainDocumentIsParsed() throws Exception {
        Document document = parse("<shadowmq><pepper>x</pepper></shadowmq>");

        assertThat(document.getDocumentElement().getTextContent()).isEqualTo("x");
    }

    @Test
    void externalEntityIsNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>"
                + "<!DOCTYPE shadowmq [<!ENTITY leak SYSTEM \"" + secret.toUri() + "\">]>"
                + "<shadowmq><pepper>&leak;</pepper></shadowmq>";

        assertThatThrownBy(() -> parse(xxe))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void entityExpansionBombIsRefused() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz ["
                + "<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<lolz>&lol3;</lolz>";

        assertThatThrownBy(() -> parse(laughs)).isInstanceOf(SAXParseException.class);
    }

    @Test
    void externalDtdIsNeverFetched() {
        String dtd = "<?xml version=\"1.0\"?><!DOCTYPE shadowmq SYSTEM \"http://127.0.0.1:9/evil.dtd\"><shadowmq/>";

        assertThatThrownBy(() -> parse(dtd))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("DOCTYPE");
    }

    private static Document parse(String xml) throws Exception {
        return SecureXml.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
